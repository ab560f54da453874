//! Query-string parameters over real HTTP: every endpoint accepts exactly the
//! parameters `/openapi.json` declares for it (the same Rust types describe and
//! receive them), refuses anything else with a JSON 400 naming the key, and the
//! cases found by Schemathesis and by hand stay fixed (repeated single values,
//! invalid UTF-8, impossible dates, `limit=0` on the related sets, a 400-way OR).

mod http_fixture;

use std::collections::BTreeMap;

use http_fixture::{enc, get};
use kehoach::http::{
    CollocatesParams, FrequencyParams, GraphParams, KeynessParams, KwicParams, NoParams,
    QueryParams, ReferenceKeyParams, ReferencesParams, RelatedParams, ReuseParams, SearchParams,
    TopParams, TrendParams,
};
use serde_json::Value;

use http_fixture::setup;

fn names<T: QueryParams>() -> Vec<String> {
    T::declared().into_iter().map(|p| p.name).collect()
}

/// The query parameters each path of the description declares, in order.
fn described(api: &Value) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for (path, item) in api["paths"].as_object().unwrap() {
        let params = item["get"]["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["in"] == "query")
                    .map(|p| p["name"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default();
        out.insert(path.clone(), params);
    }
    out
}

/// A value the declaration allows for parameter `p`.
fn valid_value(p: &Value) -> String {
    let mut s = &p["schema"];
    if s["type"] == "array" {
        s = &s["items"];
    }
    if let Some(first) = s["enum"].as_array().and_then(|e| e.first()) {
        return first.as_str().map_or(first.to_string(), str::to_string);
    }
    if s["type"] == "integer"
        || s["type"]
            .as_array()
            .is_some_and(|t| t.contains(&"integer".into()))
    {
        return s["default"]
            .as_u64()
            .or(s["minimum"].as_u64())
            .unwrap_or(1)
            .to_string();
    }
    if s["pattern"].is_string() {
        return "2019".into();
    }
    "thi".into()
}

#[test]
fn each_path_declares_exactly_its_parameter_type() {
    let (_t, _d, s) = setup();
    let api = get(&s.base, "/openapi.json").json();
    let got = described(&api);
    let related = names::<RelatedParams>();
    let want: BTreeMap<&str, Vec<String>> = [
        ("/api/search", names::<SearchParams>()),
        ("/api/graph", names::<GraphParams>()),
        ("/api/references", names::<ReferencesParams>()),
        ("/api/references/{key}", names::<ReferenceKeyParams>()),
        ("/api/related/{id}", related.clone()),
        ("/api/documents/{id}/related", related),
        ("/api/documents/{id}/reuse", names::<NoParams>()),
        ("/api/reuse", names::<ReuseParams>()),
        ("/api/documents/{id}", names::<NoParams>()),
        ("/api/facets", names::<NoParams>()),
        ("/api/themes", names::<NoParams>()),
        ("/healthz", names::<NoParams>()),
        ("/api/stats/frequency", names::<FrequencyParams>()),
        ("/api/stats/trend", names::<TrendParams>()),
        ("/api/stats/top", names::<TopParams>()),
        ("/api/stats/keyness", names::<KeynessParams>()),
        ("/api/stats/kwic", names::<KwicParams>()),
        ("/api/stats/collocates", names::<CollocatesParams>()),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        got.keys().map(String::as_str).collect::<Vec<_>>(),
        want.keys().copied().collect::<Vec<_>>(),
        "paths"
    );
    for (path, params) in &want {
        assert_eq!(&got[*path], params, "{path}");
        let mut unique = params.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            params.len(),
            "{path}: a parameter declared twice"
        );
    }
    let kwic = &got["/api/stats/kwic"];
    for p in [
        "term", "q", "province", "type", "ref", "year", "from", "to", "format", "bom",
    ] {
        assert!(kwic.contains(&p.to_string()), "{p} not in {kwic:?}");
    }
    let keyness = &got["/api/stats/keyness"];
    for p in ["ref_q", "ref_province", "ref_year", "ref_ref", "ref_from"] {
        assert!(keyness.contains(&p.to_string()), "{p} not in {keyness:?}");
    }
}

#[test]
fn every_declared_key_is_accepted_and_no_other() {
    let (_t, docs, s) = setup();
    let api = get(&s.base, "/openapi.json").json();
    let id = enc(&docs[0].id);
    for (path, item) in api["paths"].as_object().unwrap() {
        let url = path.replace("{id}", &id).replace("{key}", "136%2FKH-UBND");
        let params = item["get"]["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let required: Vec<String> = params
            .iter()
            .filter(|p| p["in"] == "query" && p["required"] == true)
            .map(|p| format!("{}={}", p["name"].as_str().unwrap(), valid_value(p)))
            .collect();
        let base = |extra: &str| {
            let mut parts = required.clone();
            if !extra.is_empty() {
                parts.push(extra.to_string());
            }
            format!("{url}?{}", parts.join("&"))
        };
        for p in params.iter().filter(|p| p["in"] == "query") {
            let name = p["name"].as_str().unwrap();
            if p["required"] == true {
                continue;
            }
            let u = base(&format!("{name}={}", enc(&valid_value(p))));
            let r = get(&s.base, &u);
            // Accepted: whatever the answer, it is not a refusal of this key.
            let refused = r.status == 400 && r.json()["error"]["parameter"] == name;
            assert!(!refused, "{u}: {}", r.body);
            assert!(r.status < 500, "{u}: {}", r.body);
        }
        let u = base("no_such_parameter=1");
        let r = get(&s.base, &u);
        assert_eq!(r.status, 400, "{u}: {}", r.body);
        let v = r.json();
        assert_eq!(v["error"]["code"], "invalid_parameter", "{u}: {v}");
        assert_eq!(v["error"]["parameter"], "no_such_parameter", "{u}: {v}");
        // Every operation documents the answers any request may get.
        for status in ["400", "405", "408", "413", "414", "431", "500"] {
            assert!(
                item["get"]["responses"][status].is_object(),
                "{path}: {status} undocumented"
            );
        }
    }
}

#[test]
fn declarations_carry_the_constraints() {
    let (_t, _d, s) = setup();
    let api = get(&s.base, "/openapi.json").json();
    let param = |path: &str, name: &str| -> Value {
        api["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} {name}"))
            .clone()
    };
    let sort = param("/api/search", "sort");
    assert_eq!(
        sort["schema"]["enum"],
        serde_json::json!(["relevance", "date"])
    );
    let format = param("/api/graph", "format");
    assert_eq!(format["schema"]["enum"], serde_json::json!(["json", "csv"]));
    let unit = param("/api/stats/top", "unit");
    assert_eq!(
        unit["schema"]["enum"],
        serde_json::json!(["syllables", "words"])
    );
    let group_by = param("/api/stats/frequency", "group_by");
    assert_eq!(
        group_by["schema"]["enum"],
        serde_json::json!([
            "none",
            "province",
            "province_current",
            "level",
            "year",
            "month",
            "theme",
            "type",
            "issuer"
        ]),
        "{group_by}"
    );
    // The place filters of issue 19 are declared with the others.
    for name in ["level", "commune"] {
        let p = param("/api/search", name);
        assert_eq!(p["schema"]["type"], "array", "{p}");
    }
    let granularity = param("/api/stats/trend", "granularity");
    assert_eq!(
        granularity["schema"]["enum"],
        serde_json::json!(["auto", "year", "month"])
    );
    let year = param("/api/search", "year");
    assert_eq!(year["schema"]["items"]["minimum"], 1000, "{year}");
    assert_eq!(year["schema"]["items"]["maximum"], 9999, "{year}");
    let term = param("/api/stats/kwic", "term");
    assert_eq!(term["required"], true);
    assert_eq!(term["schema"]["maxLength"], 200);
    let n_max = param("/api/stats/top", "n_max");
    // The default is the library's, not a copy.
    assert_eq!(
        n_max["schema"]["default"],
        kehoach::stats::TopTermsRequest::default().n_max
    );
    assert!(param("/api/search", "from")["schema"]["pattern"].is_string());
    let csv = &api["paths"]["/api/graph"]["get"]["responses"]["200"]["content"];
    assert!(csv["text/csv"].is_object(), "{csv}");
    assert!(csv["application/json"].is_object(), "{csv}");
}

#[test]
fn hand_found_cases_are_refused_or_answered() {
    let (_t, docs, s) = setup();
    let id = enc(&docs[0].id);
    for (path, name) in [
        ("/api/search?limit=1&limit=2", "limit"),
        ("/api/search?offset=1&offset=2", "offset"),
        ("/api/search?sort=date&sort=relevance", "sort"),
        ("/api/search?q=a&q=b", "q"),
        ("/api/search?q=%C3%28", "q"),
        ("/api/search?province=%FF", "province"),
        ("/api/search?from=2020-02-30", "from"),
        ("/api/search?to=2019-02-29", "to"),
        ("/api/search?from=2020-1-1", "from"),
        ("/api/stats/top?format=csv&format=json", "format"),
        ("/api/stats/kwic?term=thi&term=dua", "term"),
        ("/api/stats/kwic?term=%C3%28", "term"),
        ("/api/graph?limit=-1", "limit"),
        ("/api/references?limit=1&limit=1", "limit"),
        ("/api/facets?q=thi", "q"),
    ] {
        let r = get(&s.base, path);
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        let v = r.json();
        assert_eq!(v["error"]["code"], "invalid_parameter", "{path}: {v}");
        assert_eq!(v["error"]["parameter"], name, "{path}: {v}");
    }
    // A leap day is a date.
    let r = get(&s.base, "/api/search?from=2020-02-29&to=2024-02-29");
    assert_eq!(r.status, 200, "{}", r.body);
    // limit=0 on the related sets: empty sets, not a 500.
    for path in [
        format!("/api/related/{id}?limit=0"),
        format!("/api/documents/{id}/related?limit=0"),
    ] {
        let r = get(&s.base, &path);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        assert_eq!(r.json()["similar"], serde_json::json!([]), "{path}");
    }
    // Each alternative of an OR counts toward the clause limit.
    let or_chain = vec!["thi"; 400].join(" OR ");
    let r = get(&s.base, &format!("/api/search?q={}", enc(&or_chain)));
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "bad_query");
}
