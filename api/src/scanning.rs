//! Virus scanning with a ClamAV daemon (`EHC_CLAMD_ADDR`), over its INSTREAM
//! protocol: the file is fed chunk by chunk as it streams to the blob store,
//! so scanning adds no buffering and little time.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Clone, Debug)]
pub struct Clamd {
    addr: String,
}

pub struct ScanSession {
    stream: TcpStream,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Clean,
    /// The signature name clamd reported.
    Infected(String),
}

const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

async fn read_reply(stream: &mut TcpStream) -> Result<String, String> {
    let mut reply = Vec::new();
    let read = async {
        let mut buf = [0u8; 256];
        loop {
            let n = stream.read(&mut buf).await.map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            reply.extend_from_slice(&buf[..n]);
            if reply.contains(&0) {
                break;
            }
        }
        Ok::<(), String>(())
    };
    tokio::time::timeout(TIMEOUT, read).await.map_err(|_| "clamd did not answer".to_owned())??;
    Ok(String::from_utf8_lossy(&reply).trim_end_matches('\0').trim().to_owned())
}

impl Clamd {
    pub fn new(addr: String) -> Self {
        Self { addr }
    }

    pub async fn ping(&self) -> Result<(), String> {
        let mut stream = TcpStream::connect(&self.addr).await.map_err(|e| format!("clamd unreachable: {e}"))?;
        stream.write_all(b"zPING\0").await.map_err(|e| e.to_string())?;
        let reply = read_reply(&mut stream).await?;
        if reply == "PONG" {
            Ok(())
        } else {
            Err(format!("clamd answered {reply:?}"))
        }
    }

    pub async fn start(&self) -> Result<ScanSession, String> {
        let mut stream = TcpStream::connect(&self.addr).await.map_err(|e| format!("clamd unreachable: {e}"))?;
        stream.write_all(b"zINSTREAM\0").await.map_err(|e| e.to_string())?;
        Ok(ScanSession { stream })
    }
}

impl ScanSession {
    pub async fn feed(&mut self, chunk: &[u8]) -> Result<(), String> {
        let len = u32::try_from(chunk.len()).map_err(|_| "chunk too large".to_owned())?;
        self.stream.write_all(&len.to_be_bytes()).await.map_err(|e| e.to_string())?;
        self.stream.write_all(chunk).await.map_err(|e| e.to_string())
    }

    pub async fn verdict(mut self) -> Result<Verdict, String> {
        self.stream.write_all(&0u32.to_be_bytes()).await.map_err(|e| e.to_string())?;
        let reply = read_reply(&mut self.stream).await?;
        // "stream: OK" or "stream: Eicar-Test-Signature FOUND"
        if reply.ends_with("OK") {
            Ok(Verdict::Clean)
        } else if let Some(found) = reply.strip_suffix("FOUND") {
            Ok(Verdict::Infected(found.trim_start_matches("stream:").trim().to_owned()))
        } else {
            Err(format!("clamd could not scan: {reply}"))
        }
    }
}
