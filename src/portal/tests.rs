use super::*;
use crate::ids::PartnerId;
use crate::partners::PartnerKind;

fn actor(role: Role) -> Actor {
    Actor {
        user_id: UserId::from_bytes(&[1; 12]),
        partner_id: PartnerId::parse("fad2a1bd76f016759f788c1f18995204").unwrap_or_else(|| panic!()),
        partner_kind: PartnerKind::Reseller,
        distributor_id: None,
        role,
    }
}

#[test]
fn only_an_api_key_may_manage_keys_and_tokens() {
    assert!(require_api_key(Credential::ApiKey).is_ok());
    assert_eq!(require_api_key(Credential::PortalToken).err().map(|e| e.code), Some(Code::ForbiddenCredential));
}

#[test]
fn only_admins_mint_for_other_users() {
    let other = UserId::from_bytes(&[2; 12]);
    let own = MintRequest::decode(&serde_json::json!({})).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(own.subject(&actor(Role::Viewer)).ok(), Some(UserId::from_bytes(&[1; 12])));
    assert_eq!(own.ttl, DEFAULT_TTL);
    let for_other = MintRequest { user_id: Some(other.clone()), ttl: 60 };
    assert_eq!(for_other.subject(&actor(Role::Operator)).err().map(|e| e.code), Some(Code::ForbiddenRole));
    assert_eq!(for_other.subject(&actor(Role::Admin)).ok(), Some(other));
    assert!(MintRequest::decode(&serde_json::json!({"minutes": 61})).is_err());
    assert!(MintRequest::decode(&serde_json::json!({"user_id": "nope"})).is_err());
}

#[test]
fn origins_are_normalized_and_matched_exactly() {
    assert_eq!(origin("https://Portal.Example.com/").as_deref(), Some("https://portal.example.com"));
    assert_eq!(origin("http://127.0.0.1:5173").as_deref(), Some("http://127.0.0.1:5173"));
    assert_eq!(origin("http://[::1]:8080").as_deref(), Some("http://[::1]:8080"));
    for bad in [
        "http://[a",
        "http://[]",
        "https://a..b",
        "https://a:0",
        "https://a:65536",
        "https://a:",
        "https://[::1]x",
        "https://host/path",
        "ftp://a",
    ] {
        assert!(origin(bad).is_none(), "{bad}");
    }
    for bad in ["portal.example.com", "ftp://x", "https://x/path", "https://", "javascript:alert(1)"] {
        assert!(origin(bad).is_none(), "{bad}");
    }
    let allowed = vec!["https://portal.example.com".to_string()];
    assert!(origin_allowed("https://portal.example.com", &allowed));
    assert!(!origin_allowed("https://portal.example.com.evil.test", &allowed));
    assert!(!origin_allowed("http://portal.example.com", &allowed));
    assert!(
        decode_origins(&serde_json::json!({"origins": ["https://a.test", "https://a.test/"]})).map(|v| v.len()).ok()
            == Some(1)
    );
    assert!(decode_origins(&serde_json::json!({"origins": ["nope"]})).is_err());
}
