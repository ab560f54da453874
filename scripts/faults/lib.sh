# Helpers shared by the fault scripts (sourced, not run).

# The kehoach binary: $KEHOACH_BIN, else target/release/kehoach if it exists, else a
# debug build (built if missing). Sets BIN.
find_bin() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  if [[ -n "${KEHOACH_BIN:-}" ]]; then
    BIN="$KEHOACH_BIN"
  elif [[ -x "$root/target/release/kehoach" ]]; then
    BIN="$root/target/release/kehoach"
  else
    if [[ ! -x "$root/target/debug/kehoach" ]]; then
      (cd "$root" && nice -n 19 cargo build --bin kehoach >&2)
    fi
    BIN="$root/target/debug/kehoach"
  fi
  [[ -x "$BIN" ]] || { echo "no kehoach binary at $BIN" >&2; exit 2; }
}

# The shared material folder ($KEHOACH_SHARED, else ../shared next to the repo), or empty.
shared_dir() {
  local root p
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  p="${KEHOACH_SHARED:-$root/../shared}"
  [[ -d "$p" ]] && (cd "$p" && pwd) || true
}

# gen_docs N FIRST SEED > out.jsonl: N generated plan-like records with ids
# gen-FIRST … gen-(FIRST+N-1), about 3 KB of varied Vietnamese text each
# (deterministic for a seed, so runs are repeatable).
gen_docs() {
  awk -v n="$1" -v first="$2" -v seed="$3" 'BEGIN {
    srand(seed);
    split("kế hoạch triển khai thực hiện chuyển đổi số nông thôn mới thi đua khen thưởng cải cách hành chính y tế giáo dục đào tạo phòng chống thiên tai biến đổi khí hậu an ninh trật tự xây dựng đảng chính quyền phát triển kinh tế xã hội du lịch văn hóa thể thao giao thông vận tải tài nguyên môi trường công nghiệp thương mại đầu tư ngân sách nhà nước ủy ban nhân dân tỉnh huyện xã phường sở ban ngành đoàn thể mặt trận tổ quốc", w, " ");
    nw = length(w);
    split("Kiên Giang|Đồng Tháp|Cà Mau|An Giang|Hậu Giang|Bạc Liêu|Sóc Trăng|Long An", prov, "|");
    for (i = first; i < first + n; i++) {
      text = sprintf("Kế hoạch số %d/KH-UBND năm %d.", i, 2015 + i % 10);
      for (s = 0; s < 40; s++) {
        line = "";
        for (k = 0; k < 14; k++) line = line " " w[1 + int(rand() * nw)];
        text = text line " " int(rand() * 100000) ".";
      }
      printf "{\"id\":\"gen-%07d\",\"title\":\"Kế hoạch %d\",\"province\":\"%s\",\"date\":\"%d-%02d-%02d\",\"text\":\"%s\"}\n", i, i, prov[1 + i % 8], 2015 + i % 10, 1 + i % 12, 1 + i % 28, text;
    }
  }'
}

# list_ids INDEX > ids: every id in the index (one per line, as stored; duplicates kept),
# by paging through `kehoach search --json` (1,000 per page). Fails if the index
# cannot be opened.
list_ids() {
  local idx="$1" total off=0
  total="$("$BIN" search --index "$idx" --json --limit 1 "" | jq -r .total)" || return 1
  while (( off < total )); do
    "$BIN" search --index "$idx" --json --limit 1000 --offset "$off" "" | jq -r '.hits[].id' || return 1
    off=$(( off + 1000 ))
  done
}
