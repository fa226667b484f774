use super::*;

#[test]
fn hex32_accepts_only_32_lowercase_hex() {
    assert!(CustomerId::parse("0b5c2d9e4e8c4a1f9e3b2a7c6d5e4f30").is_some());
    for bad in [
        "",
        "0B5C2D9E4E8C4A1F9E3B2A7C6D5E4F30",
        "0b5c2d9e4e8c4a1f9e3b2a7c6d5e4f3",
        "0b5c2d9e4e8c4a1f9e3b2a7c6d5e4f3g",
        "0b5c2d9e4e8c4a1f9e3b2a7c6d5e4f300",
    ] {
        assert!(CustomerId::parse(bad).is_none(), "{bad}");
    }
}

#[test]
fn prefixed_ids_check_their_kind() {
    let id = PermissionId::from_bytes(&[7; 12]);
    assert_eq!(id.as_str(), "perm_070707070707070707070707");
    assert_eq!(PermissionId::parse(id.as_str()), Some(id.clone()));
    assert!(AuthorizationId::parse(id.as_str()).is_none());
    assert!(PermissionId::parse("perm_07070707070707070707070").is_none());
}
