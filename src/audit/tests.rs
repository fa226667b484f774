use super::*;

fn link(seq: i64, detail: &str) -> Link {
    Link {
        seq,
        at: "2026-11-26T07:00:00Z".into(),
        request_id: format!("req_{seq}"),
        actor_kind: "partner_user".into(),
        actor_user_id: None,
        partner_id: Some("p".into()),
        customer_id: None,
        action: "order.placed".into(),
        target_id: None,
        detail: detail.into(),
        prev_hash: None,
        hash: None,
    }
}

fn sealed(n: i64) -> Vec<Link> {
    let mut ls: Vec<Link> = (1..=n).map(|i| link(i, "{}")).collect();
    for (seq, p, h) in seal(&ls.clone(), GENESIS) {
        let l = &mut ls[(seq - 1) as usize];
        l.prev_hash = Some(p);
        l.hash = Some(h);
    }
    ls
}

#[test]
fn a_sealed_chain_verifies_and_any_change_is_found_where_it_is() {
    let ls = sealed(6);
    let r = verify_chain(&ls, GENESIS);
    assert!(r.ok && r.checked == 6 && r.unsealed == 0);
    for i in 0..6 {
        let mut t = ls.clone();
        t[i].detail = "{\"amount\":1}".into();
        assert_eq!(verify_chain(&t, GENESIS).first_broken_seq, Some(i as i64 + 1), "changed content");
        let mut d = ls.clone();
        d.remove(i);
        if i < 5 {
            assert_eq!(verify_chain(&d, GENESIS).first_broken_seq, Some(i as i64 + 2), "removed event");
        }
    }
    let mut swapped = ls.clone();
    swapped.swap(2, 3);
    assert!(!verify_chain(&swapped, GENESIS).ok, "reordered");
    let mut tail = ls.clone();
    tail.push(link(7, "{}"));
    let r = verify_chain(&tail, GENESIS);
    assert!(r.ok && r.unsealed == 1, "the newest event may wait for its seal");
}
