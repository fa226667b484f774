use super::*;

const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

#[test]
fn seals_and_opens_and_hides_the_secret() {
    let v = Vault::from_hex(KEY).unwrap();
    let sealed = v.seal([7; 12], "partner:p1", b"SK-very-secret").unwrap();
    assert!(!sealed.contains("SK-very") && !sealed.contains(&hex(b"SK-very-secret")));
    assert_eq!(v.open(&sealed, "partner:p1").unwrap().unwrap(), b"SK-very-secret");
    // Another nonce gives another text for the same secret.
    assert_ne!(sealed, v.seal([8; 12], "partner:p1", b"SK-very-secret").unwrap());
}

#[test]
fn another_row_tampering_and_another_key_are_told_apart() {
    let v = Vault::from_hex(KEY).unwrap();
    let sealed = v.seal([1; 12], "partner:p1", b"secret").unwrap();
    assert!(v.open(&sealed, "partner:p2").is_err(), "bound to its row");
    let mut bytes = sealed.clone().into_bytes();
    let last = bytes.len() - 1;
    bytes[last] = if bytes[last] == b'0' { b'1' } else { b'0' };
    assert!(v.open(std::str::from_utf8(&bytes).unwrap(), "partner:p1").is_err(), "tampered");
    let rotated = Vault::from_hex(&KEY.replace("00", "ff")).unwrap();
    assert_eq!(rotated.open(&sealed, "partner:p1").unwrap(), None, "sealed under the old key");
    assert!(v.open("v1.x", "partner:p1").is_err());
}

#[test]
fn the_key_must_be_32_bytes_of_hex() {
    assert!(Vault::from_hex("abc").is_err());
    assert!(Vault::from_hex(&KEY[..62]).is_err());
    assert!(Vault::from_hex(&KEY.replace('0', "g")).is_err());
}
