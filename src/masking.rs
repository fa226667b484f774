//! Masking of sensitive customer fields. Every response that carries a customer's name, account
//! name, mobile or email passes it through here; only an audited reveal returns clear values.

/// A name keeps its first character: `Zhang Wei` → `Z***`. Empty stays empty.
pub fn name(s: &str) -> String {
    match s.chars().next() {
        Some(c) => format!("{c}***"),
        None => String::new(),
    }
}

/// A mobile number keeps its first 3 and last 4 digits: `13812345678` → `138****5678`.
/// Numbers of 7 digits or fewer keep only the last 2.
pub fn mobile(s: &str) -> String {
    let digits: Vec<char> = s.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    if n <= 7 {
        let keep = n.min(2);
        let mut out = "*".repeat(n - keep);
        out.extend(&digits[n - keep..]);
        return out;
    }
    let mut out: String = digits[..3].iter().collect();
    out.push_str(&"*".repeat(n - 7));
    out.extend(&digits[n - 4..]);
    out
}

/// An email keeps the first character of the local part and the domain: `ops@example.com` → `o***@example.com`.
pub fn email(s: &str) -> String {
    match s.rsplit_once('@') {
        Some((local, domain)) => format!("{}@{domain}", name(local)),
        None => name(s),
    }
}

#[cfg(test)]
mod tests;
