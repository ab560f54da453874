//! How a statistics table is answered: as JSON, or as CSV streamed from a blocking
//! task through a channel into the response body, with the status decided before
//! the first byte (a JSON 400 when the work fails early).

use std::io::{self, Write};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};

use crate::http::params::OutputParams;
use crate::http::{blocking, ApiError};
use crate::stats::{CsvTable, CsvWriter, Stats};
use crate::table::CsvFormat;

/// Bytes gathered before a chunk of CSV is handed to the response body.
const CHUNK: usize = 16 * 1024;
/// Chunks in flight between the writing task and the connection.
const CHANNEL: usize = 8;

/// A JSON answer.
pub(super) fn json<T: Serialize>(value: &T) -> Result<Response, ApiError> {
    Ok(Json(value).into_response())
}

/// Hands CSV bytes to the response body in chunks.
pub(super) struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The response body: the chunks the writing task sends.
struct Chunks(mpsc::Receiver<io::Result<Bytes>>);

impl futures_core::Stream for Chunks {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// The writing side of a streamed CSV answer. The status is decided when the
/// first row is written (200) or when the work fails before that (a JSON error).
pub(super) struct CsvOut {
    ready: Option<oneshot::Sender<Result<(), ApiError>>>,
    tx: mpsc::Sender<io::Result<Bytes>>,
    format: CsvFormat,
    writer: Option<CsvWriter<ChannelWriter>>,
}

pub(super) fn io_error(source: io::Error) -> crate::Error {
    crate::Error::Io {
        path: "<HTTP response>".into(),
        source,
    }
}

impl CsvOut {
    /// The CSV writer, started (status sent, BOM and header written) on first use.
    pub(super) fn start(
        &mut self,
        columns: &[&str],
    ) -> crate::Result<&mut CsvWriter<ChannelWriter>> {
        if self.writer.is_none() {
            if let Some(ready) = self.ready.take() {
                let _ = ready.send(Ok(()));
            }
            let out = ChannelWriter {
                tx: self.tx.clone(),
                buf: Vec::with_capacity(CHUNK),
            };
            let mut w = CsvWriter::with_format(out, self.format).map_err(io_error)?;
            w.header(columns).map_err(io_error)?;
            self.writer = Some(w);
        }
        self.writer
            .as_mut()
            .ok_or_else(|| io_error(io::Error::other("CSV writer missing")))
    }

    /// Ends the answer: flushes, or reports the failure (as the status when nothing
    /// was sent yet, else by cutting the body short so the client sees an error).
    fn finish(mut self, columns: &[&str], result: crate::Result<()>) {
        let result = result.and_then(|()| {
            self.start(columns)?;
            match self.writer.take() {
                Some(w) => w.into_inner().map(|_| ()).map_err(io_error),
                None => Ok(()),
            }
        });
        let Err(e) = result else { return };
        match self.ready.take() {
            Some(ready) => {
                let _ = ready.send(Err(ApiError::from(e)));
            }
            None => {
                tracing::warn!("CSV answer cut short: {e}");
                let _ = self.tx.blocking_send(Err(io::Error::other(e.to_string())));
            }
        }
    }
}

/// Streams CSV produced by `work` on the blocking pool.
pub(super) async fn csv_stream<F>(
    file: String,
    format: CsvFormat,
    columns: &'static [&'static str],
    work: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(&mut CsvOut) -> crate::Result<()> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(CHANNEL);
    let (ready_tx, ready_rx) = oneshot::channel();
    tokio::task::spawn_blocking(move || {
        let mut out = CsvOut {
            ready: Some(ready_tx),
            tx,
            format,
            writer: None,
        };
        let result = work(&mut out);
        out.finish(columns, result);
    });
    match ready_rx.await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(e),
        Err(e) => return Err(ApiError::internal(&e)),
    }
    crate::http::csv_attachment(&file, Body::from_stream(Chunks(rx)))
}

/// Computes a table on the blocking pool and answers it as JSON or streamed CSV.
pub(super) async fn table<T, F>(
    stats: Arc<Stats>,
    output: &OutputParams,
    file: String,
    compute: F,
) -> Result<Response, ApiError>
where
    T: Serialize + CsvTable + Send + 'static,
    F: FnOnce(&Stats) -> crate::Result<T> + Send + 'static,
{
    if !output.csv() {
        let result = blocking(move || compute(&stats)).await?;
        json(&result)
    } else {
        // The header is the table's own columns, written once it is computed (a
        // failure before that is a JSON error, so no fallback header is needed).
        csv_stream(file, output.csv_format(), &[], move |out| {
            let table = compute(&stats)?;
            let w = out.start(&table.columns())?;
            table.write_rows(w).map_err(io_error)
        })
        .await
    }
}
