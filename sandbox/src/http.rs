//! A small HTTP/1.1 server: one thread per connection, keep-alive, `Content-Length` and chunked
//! request bodies, `Expect: 100-continue`, and full control over dropping a connection.
//!
//! Rules: every response carries `Content-Length` (none for 204/304); a request body over
//! [`MAX_BODY`] is drained and flagged (`body_too_large`) so the application answers 413 in its own
//! envelope; bodies past [`MAX_DRAIN`] are not read and the connection is closed after the answer.

use serde_json::Value;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// Largest request body handed to the application (1 MiB).
pub const MAX_BODY: usize = 1 << 20;
/// Largest oversized body read and discarded to keep the connection usable.
const MAX_DRAIN: usize = 16 << 20;
const MAX_LINE: u64 = 16 * 1024;
const MAX_HEADERS: usize = 128;
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

/// A parsed request. Header names are lower-case; `path` is percent-decoded, without the query.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The body exceeded [`MAX_BODY`]; `body` is empty.
    pub body_too_large: bool,
}

impl Request {
    /// A request for `target` (`/path?query`), as the parser would build it.
    pub fn new(method: &str, target: &str) -> Self {
        let (path, query) = split_target(target);
        Request {
            method: method.to_ascii_uppercase(),
            path,
            query,
            ..Default::default()
        }
    }

    /// Adds a header (builder style, for tests and internal calls).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    /// Sets the body (builder style).
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self.body_too_large = self.body.len() > MAX_BODY;
        self
    }

    /// First value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// First value of query parameter `name` (exact, after decoding).
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn keep_alive(&self, http10: bool) -> bool {
        let conn = self.header("connection").unwrap_or("").to_ascii_lowercase();
        if http10 {
            conn.contains("keep-alive")
        } else {
            !conn.contains("close")
        }
    }
}

/// A response to write. `Content-Length`, `Date` and `Connection` are added by the writer.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A JSON response (`application/json`).
    pub fn json(status: u16, body: &Value) -> Self {
        Self::json_as(status, body, "application/json")
    }

    /// A JSON response with another media type (e.g. `application/vnd.api+json`).
    pub fn json_as(status: u16, body: &Value, content_type: &str) -> Self {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: serde_json::to_vec(body).unwrap_or_default(),
        }
    }

    /// A response without a body.
    pub fn empty(status: u16) -> Self {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.set_header(name, value);
        self
    }

    /// Sets header `name`, replacing any earlier value.
    pub fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
    }

    /// Value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON (`Value::Null` if it is not JSON).
    pub fn json_body(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// What the application wants done with a request.
#[derive(Debug)]
pub enum Outcome {
    Respond(Response),
    /// Close the connection without writing anything.
    Drop,
}

/// The application behind the server.
pub trait Handler: Send + Sync + 'static {
    fn handle(&self, req: Request) -> Outcome;
}

/// Accepts connections forever, one thread each.
pub fn serve(listener: TcpListener, handler: Arc<dyn Handler>) {
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                let handler = Arc::clone(&handler);
                let _ = std::thread::Builder::new()
                    .name("sandbox-conn".into())
                    .spawn(move || serve_connection(stream, handler.as_ref()));
            }
            // Out of descriptors or similar: back off instead of spinning.
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// Answers requests on one connection until it closes or a request asks to close it.
fn serve_connection(stream: TcpStream, handler: &dyn Handler) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    loop {
        let parsed = match read_request(&mut reader, &mut writer) {
            Ok(Some(p)) => p,
            Ok(None) => return,
            Err(e) => {
                if e.kind() == io::ErrorKind::InvalidData {
                    let mut resp = Response::json(400, &serde_json::json!({"error": e.to_string()}));
                    // Readable by a page too, as every other answer is.
                    resp.set_header("Access-Control-Allow-Origin", "*");
                    let _ = write_response(&mut writer, &resp, false, false);
                }
                let _ = writer.shutdown(Shutdown::Both);
                return;
            }
        };
        let keep_alive = parsed.keep_alive;
        let head = parsed.request.method == "HEAD";
        match handler.handle(parsed.request) {
            Outcome::Drop => {
                let _ = writer.shutdown(Shutdown::Both);
                return;
            }
            Outcome::Respond(resp) => {
                if write_response(&mut writer, &resp, keep_alive, head).is_err() || !keep_alive {
                    let _ = writer.shutdown(Shutdown::Both);
                    return;
                }
            }
        }
    }
}

struct Parsed {
    request: Request,
    keep_alive: bool,
}

fn bad(msg: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.to_string())
}

/// Reads one line (without CRLF); `None` at a clean end of stream.
fn read_line(reader: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut buf = Vec::new();
    let n = reader.by_ref().take(MAX_LINE).read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() != Some(&b'\n') {
        return Err(if n as u64 >= MAX_LINE {
            bad("Header line too long")
        } else {
            bad("Unexpected end of request")
        });
    }
    while matches!(buf.last(), Some(b'\n' | b'\r')) {
        buf.pop();
    }
    String::from_utf8(buf)
        .map(Some)
        .map_err(|_| bad("Header is not UTF-8"))
}

/// Reads one request; writes `100 Continue` when asked and the body will be read.
fn read_request(reader: &mut impl BufRead, writer: &mut impl Write) -> io::Result<Option<Parsed>> {
    let mut line = String::new();
    while line.is_empty() {
        match read_line(reader)? {
            Some(l) => line = l,
            None => return Ok(None),
        }
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("Malformed request line"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(bad("Unsupported HTTP version"));
    }
    let mut request = Request::new(method, target);
    loop {
        let Some(h) = read_line(reader)? else {
            return Err(bad("Unexpected end of headers"));
        };
        if h.is_empty() {
            break;
        }
        let Some((name, value)) = h.split_once(':') else {
            return Err(bad("Malformed header"));
        };
        if request.headers.len() >= MAX_HEADERS {
            return Err(bad("Too many headers"));
        }
        request
            .headers
            .push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let keep_alive = request.keep_alive(version == "HTTP/1.0");
    let fits = read_body(reader, writer, &mut request)?;
    Ok(Some(Parsed {
        request,
        keep_alive: keep_alive && fits,
    }))
}

/// Reads the body into `request`; returns false when the connection cannot be reused.
fn read_body(
    reader: &mut impl BufRead,
    writer: &mut impl Write,
    request: &mut Request,
) -> io::Result<bool> {
    let chunked = request
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let length = match request.header("content-length") {
        Some(v) if !chunked => Some(
            v.trim()
                .parse::<usize>()
                .map_err(|_| bad("Invalid Content-Length"))?,
        ),
        _ => None,
    };
    if !chunked && length.unwrap_or(0) == 0 {
        return Ok(true);
    }
    if let Some(n) = length {
        if n > MAX_DRAIN {
            request.body_too_large = true;
            return Ok(false);
        }
    }
    if request
        .header("expect")
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
    {
        writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        writer.flush()?;
    }
    let body = match length {
        Some(n) => {
            let mut body = vec![0u8; n];
            reader.read_exact(&mut body)?;
            body
        }
        None => match read_chunked(reader)? {
            Some(body) => body,
            None => {
                request.body_too_large = true;
                return Ok(false);
            }
        },
    };
    if body.len() > MAX_BODY {
        request.body_too_large = true;
    } else {
        request.body = body;
    }
    Ok(true)
}

/// Decodes a chunked body; `None` if it grows past [`MAX_DRAIN`].
fn read_chunked(reader: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader)?.ok_or_else(|| bad("Unexpected end of chunked body"))?;
        let size_hex = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16).map_err(|_| bad("Invalid chunk size"))?;
        if size == 0 {
            // Trailers, then the blank line.
            while let Some(t) = read_line(reader)? {
                if t.is_empty() {
                    break;
                }
            }
            return Ok(Some(body));
        }
        // `checked_add`: a size near usize::MAX must not wrap past the limit.
        if body.len().checked_add(size).is_none_or(|total| total > MAX_DRAIN) {
            return Ok(None);
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        read_line(reader)?;
    }
}

/// Writes `resp` with framing headers.
fn write_response(
    w: &mut impl Write,
    resp: &Response,
    keep_alive: bool,
    head: bool,
) -> io::Result<()> {
    let mut out = Vec::with_capacity(resp.body.len() + 512);
    write!(out, "HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status))?;
    for (n, v) in &resp.headers {
        write!(out, "{n}: {v}\r\n")?;
    }
    write!(
        out,
        "Date: {}\r\n",
        httpdate::fmt_http_date(std::time::SystemTime::now())
    )?;
    let bodiless = resp.status == 204 || resp.status == 304 || resp.status < 200;
    if !bodiless {
        write!(out, "Content-Length: {}\r\n", resp.body.len())?;
    }
    write!(
        out,
        "Connection: {}\r\n\r\n",
        if keep_alive { "keep-alive" } else { "close" }
    )?;
    if !bodiless && !head {
        out.extend_from_slice(&resp.body);
    }
    w.write_all(&out)?;
    w.flush()
}

/// The standard reason phrase of `status`.
pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        425 => "Too Early",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        529 => "Site Overloaded",
        // Any other status a fault asks for: its class's name, not "Unknown".
        _ => match status / 100 {
            4 => "Client Error",
            5 => "Server Error",
            _ => "Unknown",
        },
    }
}

/// Splits a request target into a decoded path and decoded query pairs.
fn split_target(target: &str) -> (String, Vec<(String, String)>) {
    // Absolute-form targets (`http://host/path`) keep only the path; an origin-form one
    // (`/path?q=http://x/y`) is left whole, whatever its query holds.
    let absolute = if target.starts_with('/') { None } else { target.find("://") };
    let target = match absolute {
        Some(i) => target[i + 3..]
            .find('/')
            .map_or("/", |j| &target[i + 3 + j..]),
        None => target,
    };
    let target = target.split('#').next().unwrap_or("");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let pairs = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect();
    (percent_decode(path, false), pairs)
}

/// Decodes `%XX` escapes (and `+` as space in query strings); invalid escapes stay literal.
pub fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    struct Echo;
    impl Handler for Echo {
        fn handle(&self, req: Request) -> Outcome {
            if req.path == "/drop" {
                return Outcome::Drop;
            }
            let body = serde_json::json!({
                "method": req.method, "path": req.path, "len": req.body.len(),
                "tooLarge": req.body_too_large, "q": req.query("a"),
            });
            Outcome::Respond(Response::json(200, &body))
        }
    }

    fn start() -> std::net::SocketAddr {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        std::thread::spawn(move || serve(l, Arc::new(Echo)));
        addr
    }

    fn read_response(r: &mut BufReader<TcpStream>) -> (u16, Vec<(String, String)>, Value) {
        let status_line = read_line(r).unwrap().unwrap();
        let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
        let mut headers = Vec::new();
        loop {
            let h = read_line(r).unwrap().unwrap();
            if h.is_empty() {
                break;
            }
            let (n, v) = h.split_once(':').unwrap();
            headers.push((n.to_ascii_lowercase(), v.trim().to_string()));
        }
        let len: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .map_or(0, |(_, v)| v.parse().unwrap());
        let mut body = vec![0; len];
        r.read_exact(&mut body).unwrap();
        (
            status,
            headers,
            serde_json::from_slice(&body).unwrap_or(Value::Null),
        )
    }

    #[test]
    fn decodes_targets() {
        let (p, q) = split_target("/a%20b/c?page%5Blimit%5D=5&x=a+b&flag");
        assert_eq!(p, "/a b/c");
        assert_eq!(
            q,
            vec![
                ("page[limit]".into(), "5".into()),
                ("x".into(), "a b".into()),
                ("flag".into(), "".into())
            ]
        );
        assert_eq!(percent_decode("%zz%4", false), "%zz%4");
        assert_eq!(split_target("http://h:1/x?a=1").0, "/x");
        let (p, q) = split_target("/keys?filter%5Bname%5D=http://example.com/x");
        assert_eq!((p.as_str(), q[0].1.as_str()), ("/keys", "http://example.com/x"), "a URL in the query is not a target");
    }

    /// A chunk size that would wrap the body's length past the limit ends the body as too
    /// large, instead of a panic that takes the whole sandbox down.
    #[test]
    fn a_chunk_size_near_the_largest_number_is_too_large() {
        let mut wire = std::io::Cursor::new(b"5\r\nabcde\r\nfffffffffffffffd\r\nxy\r\n0\r\n\r\n".to_vec());
        assert!(read_chunked(&mut wire).unwrap().is_none());
    }

    #[test]
    fn keep_alive_chunked_and_expect_continue() {
        let addr = start();
        let mut s = TcpStream::connect(addr).unwrap();
        let mut r = BufReader::new(s.try_clone().unwrap());
        s.write_all(b"POST /x?a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc")
            .unwrap();
        let (status, _, body) = read_response(&mut r);
        assert_eq!(
            (status, body["len"].as_u64(), body["q"].as_str()),
            (200, Some(3), Some("1"))
        );
        s.write_all(b"POST /y HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").unwrap();
        let (_, _, body) = read_response(&mut r);
        assert_eq!(body["len"], 5);
        s.write_all(b"POST /z HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
            .unwrap();
        assert_eq!(read_line(&mut r).unwrap().unwrap(), "HTTP/1.1 100 Continue");
        assert_eq!(read_line(&mut r).unwrap().unwrap(), "");
        s.write_all(b"hi").unwrap();
        let (_, headers, body) = read_response(&mut r);
        assert_eq!(body["len"], 2);
        assert!(headers.contains(&("connection".into(), "keep-alive".into())));
    }

    #[test]
    fn oversized_body_is_flagged_and_drop_closes() {
        let addr = start();
        let mut s = TcpStream::connect(addr).unwrap();
        let mut r = BufReader::new(s.try_clone().unwrap());
        let big = vec![b'x'; MAX_BODY + 1];
        write!(
            s,
            "POST /big HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            big.len()
        )
        .unwrap();
        s.write_all(&big).unwrap();
        let (_, _, body) = read_response(&mut r);
        assert_eq!(
            (body["tooLarge"].as_bool(), body["len"].as_u64()),
            (Some(true), Some(0))
        );
        s.write_all(b"GET /drop HTTP/1.1\r\n\r\n").unwrap();
        let mut rest = Vec::new();
        assert_eq!(r.read_to_end(&mut rest).unwrap_or(0), 0);
    }

    #[test]
    fn garbage_gets_400() {
        let addr = start();
        let mut s = TcpStream::connect(addr).unwrap();
        let mut r = BufReader::new(s.try_clone().unwrap());
        s.write_all(b"NONSENSE\r\n\r\n").unwrap();
        assert_eq!(read_response(&mut r).0, 400);
    }
}
