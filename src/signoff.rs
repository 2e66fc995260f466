//! Reviewers' keys and the signatures of review stages (三审).
//!
//! A reviewer holds an Ed25519 key pair. The private half never enters the site: it is kept in
//! the reviewer's own config folder, encrypted with the reviewer's passphrase (Argon2id, then
//! XChaCha20-Poly1305). Only the public half is listed in `content/reviewers.yaml`. A review
//! stage carries the reviewer's id, the date, the fingerprint of the item's published content and
//! a signature over the canonical payload ([`StagePayload::text`], documented in
//! `docs/review.md` with a test vector in `tests/fixtures/signoff/`), so a sign-off cannot be typed
//! by anyone who does not hold the reviewer's key.
//!
//! Keys and signatures are written `ed25519:` + standard base64, which the privacy scan never
//! reads as a number (and they are never published).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::NaiveDate;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use serde::{Deserialize, Serialize};

/// The first line of every signed payload; a new payload layout gets a new version.
pub const PAYLOAD_VERSION: &str = "gongkai-signoff-v1";

/// Prefix of keys and signatures.
const ED25519: &str = "ed25519:";

/// Prefix of keys and signatures made in a browser without Ed25519 (ECDSA P-256, SHA-256,
/// signatures as WebCrypto gives them: r ‖ s, 64 bytes).
const P256: &str = "p256:";

/// A reviewer's public key, as listed in `content/reviewers.yaml`: Ed25519 (`gongkai reviewer
/// new`, and browsers that have it) or ECDSA P-256 (browsers without Ed25519).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// `ed25519:` + base64 of the 32-byte key.
    Ed25519(VerifyingKey),
    /// `p256:` + base64 of the 65-byte uncompressed point.
    P256(Box<p256::ecdsa::VerifyingKey>),
}

impl PublicKey {
    /// Parse `ed25519:<base64 of 32 bytes>` or `p256:<base64 of the 65-byte point>`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (p256, b) = if let Some(b) = s.strip_prefix(ED25519) {
            (false, b)
        } else if let Some(b) = s.strip_prefix(P256) {
            (true, b)
        } else {
            return Err("公钥应以 ed25519: 或 p256: 开头".to_string());
        };
        let bytes = B64
            .decode(b)
            .map_err(|_| "公钥不是有效的 base64 编码".to_string())?;
        if p256 {
            if bytes.len() != 65 || bytes[0] != 4 {
                return Err("公钥长度不对（p256 公钥应为 65 字节的未压缩点）".to_string());
            }
            return p256::ecdsa::VerifyingKey::from_sec1_bytes(&bytes)
                .map(|k| PublicKey::P256(Box::new(k)))
                .map_err(|_| "公钥无效".to_string());
        }
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "公钥长度不对（应为 32 字节）".to_string())?;
        VerifyingKey::from_bytes(&arr)
            .map(PublicKey::Ed25519)
            .map_err(|_| "公钥无效".to_string())
    }

    /// The key's bytes (32 for Ed25519, the 65-byte point for P-256).
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            PublicKey::Ed25519(k) => k.as_bytes().to_vec(),
            PublicKey::P256(k) => k.to_encoded_point(false).as_bytes().to_vec(),
        }
    }

    /// `ed25519:<base64>` or `p256:<base64>`.
    pub fn encode(&self) -> String {
        match self {
            PublicKey::Ed25519(_) => format!("{ED25519}{}", B64.encode(self.bytes())),
            PublicKey::P256(_) => format!("{P256}{}", B64.encode(self.bytes())),
        }
    }

    /// Whether `signature` (`ed25519:<base64>` / `p256:<base64>`, of the key's kind) signs
    /// `payload` (its UTF-8 bytes) with this key.
    pub fn verify(&self, payload: &str, signature: &str) -> bool {
        let (prefix, is_p256) = match self {
            PublicKey::Ed25519(_) => (ED25519, false),
            PublicKey::P256(_) => (P256, true),
        };
        let Some(b) = signature.trim().strip_prefix(prefix) else {
            return false;
        };
        let Ok(bytes) = B64.decode(b) else {
            return false;
        };
        let Ok(arr) = <[u8; 64]>::try_from(bytes.as_slice()) else {
            return false;
        };
        match self {
            PublicKey::Ed25519(k) => k
                .verify(payload.as_bytes(), &Signature::from_bytes(&arr))
                .is_ok(),
            PublicKey::P256(k) => {
                debug_assert!(is_p256);
                let Ok(sig) = p256::ecdsa::Signature::from_slice(&arr) else {
                    return false;
                };
                // WebCrypto may give either of the two equivalent s values.
                let sig = sig.normalize_s().unwrap_or(sig);
                p256::ecdsa::signature::Verifier::verify(k.as_ref(), payload.as_bytes(), &sig)
                    .is_ok()
            }
        }
    }
}

/// A reviewer's key pair, in memory only while signing.
pub struct KeyPair {
    /// The reviewer id it belongs to.
    pub reviewer: String,
    key: SigningKey,
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("reviewer", &self.reviewer)
            .field("public", &self.public().encode())
            .finish_non_exhaustive()
    }
}

/// The encrypted key file a reviewer keeps (JSON).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    format: String,
    note: String,
    reviewer: String,
    public_key: String,
    kdf: String,
    m_cost: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
    nonce: String,
    ciphertext: String,
}

const KEY_FILE_FORMAT: &str = "gongkai-reviewer-key-v1";

fn random<const N: usize>() -> Result<[u8; N], String> {
    let mut b = [0u8; N];
    getrandom::getrandom(&mut b).map_err(|e| format!("无法取得随机数：{e}"))?;
    Ok(b)
}

fn derive(passphrase: &str, salt: &[u8], m: u32, t: u32, p: u32) -> Result<[u8; 32], String> {
    let params = argon2::Params::new(m, t, p, Some(32)).map_err(|e| e.to_string())?;
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; 32];
    a.hash_password_into(passphrase.as_bytes(), salt, &mut out)
        .map_err(|e| format!("口令派生失败：{e}"))?;
    Ok(out)
}

impl KeyPair {
    /// A new random key pair for `reviewer`.
    pub fn generate(reviewer: &str) -> Result<Self, String> {
        Ok(KeyPair {
            reviewer: reviewer.to_string(),
            key: SigningKey::from_bytes(&random::<32>()?),
        })
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        PublicKey::Ed25519(self.key.verifying_key())
    }

    /// Sign `payload`: `ed25519:<base64 of 64 bytes>`.
    pub fn sign(&self, payload: &str) -> String {
        format!(
            "{ED25519}{}",
            B64.encode(self.key.sign(payload.as_bytes()).to_bytes())
        )
    }

    /// The key file text: the private key encrypted with `passphrase` (Argon2id with 19 MiB,
    /// 2 passes; XChaCha20-Poly1305 with the reviewer id and public key as associated data).
    pub fn to_key_file(&self, passphrase: &str) -> Result<String, String> {
        use chacha20poly1305::aead::{Aead, KeyInit, Payload};
        if passphrase.chars().count() < 8 {
            return Err("口令至少 8 个字符".into());
        }
        let (m, t, p) = (19 * 1024, 2, 1);
        let salt = random::<16>()?;
        let nonce = random::<24>()?;
        let k = derive(passphrase, &salt, m, t, p)?;
        let public = self.public().encode();
        let aad = format!("{KEY_FILE_FORMAT}\n{}\n{public}", self.reviewer);
        let cipher = chacha20poly1305::XChaCha20Poly1305::new((&k).into());
        let ct = cipher
            .encrypt(
                (&nonce).into(),
                Payload {
                    msg: self.key.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| "加密失败".to_string())?;
        let file = KeyFile {
            format: KEY_FILE_FORMAT.into(),
            note: "gongkai 审核人私钥，已用本人口令加密。只存放在本人电脑上，不要放进站点文件夹，不要发给任何人。".into(),
            reviewer: self.reviewer.clone(),
            public_key: public,
            kdf: "argon2id".into(),
            m_cost: m,
            t_cost: t,
            p_cost: p,
            salt: B64.encode(salt),
            nonce: B64.encode(nonce),
            ciphertext: B64.encode(ct),
        };
        serde_json::to_string_pretty(&file).map_err(|e| e.to_string())
    }

    /// Open a key file with `passphrase`.
    pub fn from_key_file(text: &str, passphrase: &str) -> Result<Self, String> {
        use chacha20poly1305::aead::{Aead, KeyInit, Payload};
        let f: KeyFile =
            serde_json::from_str(text).map_err(|_| "不是 gongkai 审核人密钥文件".to_string())?;
        if f.format != KEY_FILE_FORMAT || f.kdf != "argon2id" {
            return Err(format!("不认识的密钥文件格式 {}", f.format));
        }
        let d = |s: &str| B64.decode(s).map_err(|_| "密钥文件已损坏".to_string());
        let salt = d(&f.salt)?;
        let nonce: [u8; 24] = d(&f.nonce)?
            .try_into()
            .map_err(|_| "密钥文件已损坏".to_string())?;
        let k = derive(passphrase, &salt, f.m_cost, f.t_cost, f.p_cost)?;
        let aad = format!("{KEY_FILE_FORMAT}\n{}\n{}", f.reviewer, f.public_key);
        let cipher = chacha20poly1305::XChaCha20Poly1305::new((&k).into());
        let plain = cipher
            .decrypt(
                (&nonce).into(),
                Payload {
                    msg: &d(&f.ciphertext)?,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| "口令不对（或密钥文件已损坏）".to_string())?;
        let seed: [u8; 32] = plain.try_into().map_err(|_| "密钥文件已损坏".to_string())?;
        let kp = KeyPair {
            reviewer: f.reviewer,
            key: SigningKey::from_bytes(&seed),
        };
        if kp.public().encode() != f.public_key {
            return Err("密钥文件已损坏（公钥不符）".into());
        }
        Ok(kp)
    }
}

/// What a review stage signs. [`StagePayload::text`] is the canonical form: one `key=value`
/// line per field in this order, values JSON-encoded (so no value can add a line).
#[derive(Debug, Clone, Copy)]
pub struct StagePayload<'a> {
    /// `record` or `page`.
    pub kind: &'a str,
    /// Record id, or page slug.
    pub id: &'a str,
    /// Fingerprint of every published field ([`crate::review::record_fingerprint`],
    /// [`crate::review::page_fingerprint`]).
    pub content: &'a str,
    /// Disclosure attribute as written (主动公开 …).
    pub disclosure: &'a str,
    /// `first`, `second` or `final`.
    pub stage: &'a str,
    /// The stage's date.
    pub date: NaiveDate,
    /// The reviewer id.
    pub reviewer: &'a str,
    /// The reason of an action (退回, 重签, 撤回: stage `return-first`, `redo-second`,
    /// `withdraw` …); stages themselves have none, and their payload has no `reason` line.
    pub reason: Option<&'a str>,
}

impl StagePayload<'_> {
    /// The canonical text that is signed.
    pub fn text(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let mut text = format!(
            "{PAYLOAD_VERSION}\nkind={}\nid={}\ncontent={}\ndisclosure={}\nstage={}\ndate={}\nreviewer={}\n",
            q(self.kind),
            q(self.id),
            q(self.content),
            q(self.disclosure),
            q(self.stage),
            q(&self.date.format("%Y-%m-%d").to_string()),
            q(self.reviewer),
        );
        if let Some(r) = self.reason {
            text.push_str(&format!("reason={}\n", q(r)));
        }
        text
    }
}

/// Signatures already verified, so a rebuild does not verify thousands again: on disk in the
/// user's cache folder under an HMAC whose secret is in the user's config folder — never in the
/// site, so whoever can write the site cannot make a forged signature look verified. Only
/// successes are remembered.
///
/// The disk cache is one file of sorted 16-byte tags (`verified-signatures.v2`: a 16-byte
/// header, then the tags), read into one sorted array and searched by bisection: 16 bytes a
/// signature, so the nine million sign-offs of a million-task site take 144 MB, where a hash set
/// of hex lines took several times that. A file that is not one (wrong header, torn length) is
/// treated as empty and replaced at the next save. Without a disk cache (no cache folder,
/// `GONGKAI_NO_VERIFY_CACHE`) successes are remembered in memory for the life of the process
/// (the preview).
pub mod cache {
    use sha2::{Digest, Sha256};
    use std::collections::HashSet;
    use std::io::{Read as _, Write as _};
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, OnceLock};

    type Tag = [u8; 16];

    /// The first 16 bytes of the file.
    const MAGIC: &[u8; 16] = b"gongkai-vsig-v2\n";
    /// The file's name in the cache folder.
    const FILE: &str = "verified-signatures.v2";
    /// The hex-lines file of earlier versions, removed when the new one is written.
    const OLD_FILE: &str = "verified-signatures";
    /// Past this many tags (268 MB) the file starts over with this run's: room for the
    /// sign-offs of a million-task site and then some, not for every site ever built.
    const CAP: usize = 1 << 24;

    struct Cache {
        /// Successes of this process when there is no disk cache.
        memo: HashSet<Tag>,
        disk: Option<Disk>,
    }

    struct Disk {
        secret: [u8; 32],
        /// The file's tags, sorted.
        known: Vec<Tag>,
        /// Verified by this process and not yet saved.
        new: HashSet<Tag>,
        path: PathBuf,
    }

    fn env_dir(k: &str) -> Option<PathBuf> {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    }

    fn home_dir(kind: &str) -> Option<PathBuf> {
        let (env, fallback) = if kind == "cache" {
            ("XDG_CACHE_HOME", ".cache")
        } else {
            ("XDG_CONFIG_HOME", ".config")
        };
        env_dir("LOCALAPPDATA")
            .or_else(|| env_dir(env))
            .or_else(|| env_dir("HOME").map(|h| h.join(fallback)))
            .map(|d| d.join("gongkai"))
    }

    fn hex(t: &Tag) -> String {
        t.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn unhex(s: &str) -> Option<Tag> {
        let s = s.trim();
        if s.len() != 32 {
            return None;
        }
        let mut t = [0u8; 16];
        for (i, b) in t.iter_mut().enumerate() {
            *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(t)
    }

    fn hmac(secret: &[u8; 32], msg: &[u8]) -> Tag {
        let mut k = [0u8; 64];
        k[..32].copy_from_slice(secret);
        let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
        let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
        let inner = Sha256::new()
            .chain_update(&ipad)
            .chain_update(msg)
            .finalize();
        let outer = Sha256::new()
            .chain_update(&opad)
            .chain_update(inner)
            .finalize();
        let mut t = [0u8; 16];
        t.copy_from_slice(&outer[..16]);
        t
    }

    /// The secret, made on first use (owner-only where supported).
    fn secret() -> Option<[u8; 32]> {
        let dir = env_dir("GONGKAI_CONFIG_DIR").or_else(|| home_dir("config"))?;
        let path = dir.join("verify-cache.secret");
        if let Ok(text) = std::fs::read_to_string(&path) {
            let a = unhex(text.get(..32)?)?;
            let b = unhex(text.get(32..64)?)?;
            let mut s = [0u8; 32];
            s[..16].copy_from_slice(&a);
            s[16..].copy_from_slice(&b);
            return Some(s);
        }
        let fresh = super::random::<32>().ok()?;
        std::fs::create_dir_all(&dir).ok()?;
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            o.mode(0o600);
        }
        let mut f = o.open(&path).ok()?;
        let (a, b) = fresh.split_at(16);
        let a: Tag = a.try_into().ok()?;
        let b: Tag = b.try_into().ok()?;
        f.write_all(format!("{}{}\n", hex(&a), hex(&b)).as_bytes())
            .ok()?;
        Some(fresh)
    }

    /// The tags of the file at `path`, sorted; none when it is missing or not a tag file.
    fn load(path: &Path) -> Vec<Tag> {
        let read = || -> std::io::Result<Vec<Tag>> {
            let mut f = std::fs::File::open(path)?;
            let len = f.metadata()?.len();
            let bad = || std::io::Error::from(std::io::ErrorKind::InvalidData);
            if len < 16 || len % 16 != 0 {
                return Err(bad());
            }
            let mut head = [0u8; 16];
            f.read_exact(&mut head)?;
            if &head != MAGIC {
                return Err(bad());
            }
            let n = usize::try_from(len / 16 - 1).map_err(|_| bad())?;
            let mut tags = vec![[0u8; 16]; n];
            f.read_exact(tags.as_flattened_mut())?;
            // Written sorted; a file put together by other means is sorted here.
            if !tags.is_sorted() {
                tags.sort_unstable();
            }
            tags.dedup();
            Ok(tags)
        };
        read().unwrap_or_default()
    }

    /// Write `known` (sorted) and `new` to the file at `path`, with what another process saved
    /// there since `known` was read, through a temporary file renamed over it (a reader sees the
    /// old file or the new, never half of one). Returns the tags now in the file; past [`CAP`]
    /// they are only `new`.
    fn store(path: &Path, new: impl IntoIterator<Item = Tag>) -> Vec<Tag> {
        store_capped(path, new, CAP)
    }

    fn store_capped(path: &Path, new: impl IntoIterator<Item = Tag>, cap: usize) -> Vec<Tag> {
        let mut tags = load(path);
        let before = tags.len();
        tags.extend(new);
        if tags.len() > cap {
            tags.drain(..before);
        }
        tags.sort_unstable();
        tags.dedup();
        let dir = path.parent().unwrap_or(Path::new("."));
        let tmp = dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(dir)?;
            let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            w.write_all(MAGIC)?;
            w.write_all(tags.as_flattened())?;
            w.into_inner().map_err(|e| e.into_error())?;
            std::fs::rename(&tmp, path)
        };
        // Best effort: a cache that cannot be written only costs time.
        let written = write();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        if written.is_ok()
            && let Some(dir) = path.parent()
        {
            let _ = std::fs::remove_file(dir.join(OLD_FILE));
        }
        tags
    }

    fn open() -> Option<Disk> {
        if std::env::var_os("GONGKAI_NO_VERIFY_CACHE").is_some() {
            return None;
        }
        let secret = secret()?;
        let dir = env_dir("GONGKAI_CACHE_DIR").or_else(|| home_dir("cache"))?;
        let path = dir.join(FILE);
        Some(Disk {
            secret,
            known: load(&path),
            new: HashSet::new(),
            path,
        })
    }

    fn cache() -> &'static Mutex<Cache> {
        static C: OnceLock<Mutex<Cache>> = OnceLock::new();
        C.get_or_init(|| {
            Mutex::new(Cache {
                memo: HashSet::new(),
                disk: open(),
            })
        })
    }

    fn message(key: &super::PublicKey, payload: &str, signature: &str) -> Vec<u8> {
        let mut m = Vec::with_capacity(payload.len() + signature.len() + 48);
        m.extend_from_slice(&key.bytes());
        m.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        m.extend_from_slice(payload.as_bytes());
        m.extend_from_slice(signature.as_bytes());
        m
    }

    /// What a success is remembered by: the HMAC of the message under the secret with a disk
    /// cache, its plain hash without one.
    fn tag(secret: Option<&[u8; 32]>, msg: &[u8]) -> Tag {
        match secret {
            Some(s) => hmac(s, msg),
            None => {
                let mut t = [0u8; 16];
                t.copy_from_slice(&Sha256::digest(msg)[..16]);
                t
            }
        }
    }

    fn remembered(c: &Cache, t: &Tag) -> bool {
        match &c.disk {
            Some(d) => d.known.binary_search(t).is_ok() || d.new.contains(t),
            None => c.memo.contains(t),
        }
    }

    /// [`super::PublicKey::verify`], remembering successes.
    pub fn verify(key: &super::PublicKey, payload: &str, signature: &str) -> bool {
        let msg = message(key, payload, signature);
        // The hash is taken outside the lock (the check verifies on several threads).
        let secret = {
            let c = cache().lock().unwrap_or_else(|e| e.into_inner());
            c.disk.as_ref().map(|d| d.secret)
        };
        let t = tag(secret.as_ref(), &msg);
        if remembered(&cache().lock().unwrap_or_else(|e| e.into_inner()), &t) {
            return true;
        }
        if !key.verify(payload, signature) {
            return false;
        }
        let mut c = cache().lock().unwrap_or_else(|e| e.into_inner());
        match c.disk.as_mut() {
            Some(d) => {
                d.new.insert(t);
            }
            None => {
                c.memo.insert(t);
            }
        }
        true
    }

    /// Write the successes of this run to the disk cache (best effort: a cache that cannot be
    /// written only costs time).
    pub fn save() {
        let mut c = cache().lock().unwrap_or_else(|e| e.into_inner());
        let Some(d) = c.disk.as_mut() else {
            return;
        };
        if d.new.is_empty() {
            return;
        }
        // The array in memory goes before the file is read again.
        d.known = Vec::new();
        let new = std::mem::take(&mut d.new);
        d.known = store(&d.path, new);
    }

    #[cfg(test)]
    mod tests {
        use super::{MAGIC, Tag, load, store, store_capped};

        fn t(i: u32) -> Tag {
            let mut t = [0u8; 16];
            // Not in order of i: the file must sort them.
            t[..4].copy_from_slice(&i.wrapping_mul(2_654_435_761).to_be_bytes());
            t[4..8].copy_from_slice(&i.to_le_bytes());
            t
        }

        #[test]
        fn hmac_matches_rfc_4231_case_2_prefix() {
            // RFC 4231 test case 2 uses a 4-byte key; ours is 32 bytes, zero-padded the same way.
            let mut key = [0u8; 32];
            key[..4].copy_from_slice(b"Jefe");
            let t = super::hmac(&key, b"what do ya want for nothing?");
            assert_eq!(super::hex(&t), "5bdcc146bf60754e6a042426089575c7");
        }

        #[test]
        fn tags_stored_are_found_and_the_file_is_sorted() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("c/verified-signatures.v2");
            assert!(load(&path).is_empty(), "no file yet");
            let first: Vec<Tag> = (0..1000).map(t).collect();
            let known = store(&path, first.clone());
            assert_eq!(known, load(&path));
            assert!(known.is_sorted() && known.len() == 1000);
            for x in &first {
                assert!(known.binary_search(x).is_ok());
            }
            assert!(known.binary_search(&t(1000)).is_err());
            let bytes = std::fs::read(&path).unwrap();
            assert_eq!(&bytes[..16], MAGIC);
            assert_eq!(bytes.len(), 16 * 1001);
            // A second save adds, without duplicates.
            let more = store(&path, (500..1500).map(t));
            assert_eq!(more.len(), 1500);
            assert_eq!(load(&path), more);
        }

        #[test]
        fn what_another_process_saved_meanwhile_is_kept() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("v2");
            store(&path, (0..10).map(t));
            // Another build saves while this one runs.
            store(&path, (10..20).map(t));
            let after = store(&path, (20..30).map(t));
            assert_eq!(after.len(), 30);
            assert_eq!(load(&path), after);
        }

        #[test]
        fn a_file_that_is_not_a_tag_file_counts_as_empty_and_is_replaced() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("v2");
            let good = {
                let mut b = MAGIC.to_vec();
                for i in 0..5 {
                    b.extend_from_slice(&t(i));
                }
                b
            };
            // Torn (a partial tag), wrong header, the old hex format, empty.
            let mut wrong_head = good.clone();
            wrong_head[0] = b'G';
            for bytes in [
                good[..good.len() - 3].to_vec(),
                wrong_head,
                format!("{}\n", "ab".repeat(16)).into_bytes(),
                Vec::new(),
            ] {
                std::fs::write(&path, &bytes).unwrap();
                assert!(load(&path).is_empty());
                let after = store(&path, [t(7)]);
                assert_eq!(after, vec![t(7)]);
                assert_eq!(load(&path), after);
            }
            // Unsorted, with a duplicate, is still read (sorted).
            let mut b = MAGIC.to_vec();
            for i in [3, 1, 2, 1] {
                b.extend_from_slice(&t(i));
            }
            std::fs::write(&path, &b).unwrap();
            let mut want = vec![t(1), t(2), t(3)];
            want.sort_unstable();
            assert_eq!(load(&path), want);
        }

        #[test]
        fn past_the_cap_the_file_starts_over_with_this_runs_tags() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("v2");
            let full = store_capped(&path, (0..100).map(t), 100);
            assert_eq!(full.len(), 100);
            let after = store_capped(&path, [t(u32::MAX), t(u32::MAX - 1)], 100);
            assert_eq!(after.len(), 2);
            assert_eq!(load(&path), after);
        }

        #[test]
        fn the_old_hex_file_goes_when_the_new_one_is_written() {
            let dir = tempfile::tempdir().unwrap();
            let old = dir.path().join(super::OLD_FILE);
            std::fs::write(&old, format!("{}\n", "ab".repeat(16))).unwrap();
            store(&dir.path().join(super::FILE), [t(1)]);
            assert!(!old.exists());
        }
    }
}

/// Where a reviewer's key file is kept by default: `GONGKAI_KEYS_DIR`, else the user's config
/// folder (`%APPDATA%\\gongkai\\keys` on Windows, `$XDG_CONFIG_HOME/gongkai/keys` or
/// `~/.config/gongkai/keys` elsewhere) — never inside a site folder.
pub fn default_key_path(reviewer: &str) -> Option<std::path::PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    };
    let dir = env("GONGKAI_KEYS_DIR").or_else(|| {
        env("APPDATA")
            .or_else(|| env("XDG_CONFIG_HOME"))
            .or_else(|| env("HOME").map(|h| h.join(".config")))
            .map(|d| d.join("gongkai").join("keys"))
    })?;
    Some(dir.join(format!("{reviewer}.key.json")))
}

/// The public keys of the example reviewers of the default content (their private halves and
/// passphrase are in `tests/fixtures/example-keys/`). A site with `production: true` refuses
/// them; other sites say how many items carry them.
pub const EXAMPLE_PUBLIC_KEYS: &[&str] = &[
    "ed25519:7CyWvxtblyn6GeRJ9i0wVG+YARQ5Q93JzTaqwlJnQUI=",
    "ed25519:AabVJ+bH0eHqiBEvPKDmtKa5dBw704Eyy6FvUkOJYv0=",
    "ed25519:QuX/hchbGVX5PBlFadCpe2Y/ViJkNCaoRUlOvwZo0wE=",
];

/// Whether `key` is one of the example keys.
pub fn is_example_key(key: &str) -> bool {
    EXAMPLE_PUBLIC_KEYS.contains(&key.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_and_key_file_round_trip() {
        let kp = KeyPair::generate("zhang").unwrap();
        let p = StagePayload {
            kind: "record",
            id: "r1",
            content: "sha256:00",
            disclosure: "主动公开",
            stage: "first",
            date: NaiveDate::from_ymd_opt(2023, 9, 1).unwrap(),
            reviewer: "zhang",
            reason: None,
        };
        let sig = kp.sign(&p.text());
        let public = PublicKey::parse(&kp.public().encode()).unwrap();
        assert!(public.verify(&p.text(), &sig));
        // Any other field, another key, or a mangled signature does not verify.
        let other = StagePayload {
            stage: "final",
            ..p
        };
        assert!(!public.verify(&other.text(), &sig));
        let stranger = KeyPair::generate("li").unwrap();
        assert!(!stranger.public().verify(&p.text(), &sig));
        // One base64 character of the signature changed.
        let mut bad: Vec<char> = sig.chars().collect();
        bad[12] = if bad[12] == 'A' { 'B' } else { 'A' };
        let bad: String = bad.into_iter().collect();
        assert!(!public.verify(&p.text(), &bad));
        assert!(!public.verify(&p.text(), "ed25519:xyz"));

        let file = kp.to_key_file("一个足够长的口令").unwrap();
        assert!(!file.contains(&B64.encode(kp.key.as_bytes())));
        let back = KeyPair::from_key_file(&file, "一个足够长的口令").unwrap();
        assert_eq!(back.public(), kp.public());
        assert!(KeyPair::from_key_file(&file, "不对的口令不对的口令").is_err());
        assert!(kp.to_key_file("短").is_err());
    }

    #[test]
    fn payload_lines_cannot_be_forged_by_a_value() {
        let p = StagePayload {
            kind: "record",
            id: "r1",
            content: "sha256:00",
            disclosure: "主动公开\nstage=\"final\"",
            stage: "first",
            date: NaiveDate::from_ymd_opt(2023, 9, 1).unwrap(),
            reviewer: "zhang",
            reason: None,
        };
        assert_eq!(p.text().lines().count(), 8);
    }
}
