//! A small static file server for the browser tests: serves the built
//! book on a free port of 127.0.0.1 while the tests run, and stops when
//! dropped. GET and HEAD only, files below the root only, one thread per
//! connection, no keep-alive. (`mdbook serve` rebuilds the book and injects
//! a live-reload script; the tests check the static build as published.)

use crate::Result;
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// A running server; dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `root` on `127.0.0.1` at a port the system picks.
    pub fn start(root: &Path) -> Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .map_err(|e| format!("cannot open a local port: {e}"))?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let stopping = Arc::clone(&stop);
        let thread = thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let root = root.clone();
                thread::spawn(move || {
                    // A client that hangs up mid-request is not our problem.
                    let _ = handle(stream, &root);
                });
            }
        });
        Ok(Server {
            addr,
            stop,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:<port>/`
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // `accept` blocks: one last connection lets the loop see the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn handle(stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Read (and ignore) the headers up to the blank line.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) =
        (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut out,
            405,
            "text/plain",
            b"method not allowed",
            true,
        );
    }
    let body_too = method == "GET";
    match resolve(root, target) {
        Some(file) => match std::fs::read(&file) {
            Ok(bytes) => {
                respond(&mut out, 200, content_type(&file), &bytes, body_too)
            }
            Err(_) => not_found(&mut out, root, body_too),
        },
        None => not_found(&mut out, root, body_too),
    }?;
    out.shutdown(Shutdown::Both)
}

fn not_found(
    out: &mut TcpStream,
    root: &Path,
    body_too: bool,
) -> std::io::Result<()> {
    let page = std::fs::read(root.join("404.html"))
        .unwrap_or_else(|_| b"not found".to_vec());
    respond(out, 404, "text/html; charset=utf-8", &page, body_too)
}

fn respond(
    out: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    body_too: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    out.write_all(head.as_bytes())?;
    if body_too {
        out.write_all(body)?;
    }
    out.flush()
}

/// The file a request target names: query and fragment dropped, percent
/// escapes decoded, `dir/` meaning `dir/index.html`; `None` for anything
/// that would leave the root (`..`, absolute paths).
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let decoded = percent_decode(path)?;
    let mut file = root.to_path_buf();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => file.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn get(server: &Server, target: &str) -> String {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        reply
    }

    #[test]
    fn serves_files_and_refuses_to_leave_the_root() {
        let dir = std::env::temp_dir()
            .join(format!("xtask-serve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("index.html"), "home").unwrap();
        std::fs::write(dir.join("sub/页.js"), "let x;").unwrap();
        std::fs::write(dir.join("404.html"), "missing").unwrap();
        let server = Server::start(&dir).unwrap();

        let home = get(&server, "/?search=%E5%8D%8F");
        assert!(home.starts_with("HTTP/1.1 200"), "{home}");
        assert!(home.ends_with("home"));
        let js = get(&server, "/sub/%E9%A1%B5.js#x");
        assert!(js.contains("text/javascript"), "{js}");
        let out = get(&server, "/../Cargo.toml");
        assert!(
            out.starts_with("HTTP/1.1 404") && out.ends_with("missing"),
            "{out}"
        );

        drop(server);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
