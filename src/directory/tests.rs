use super::*;

fn t(s: i64) -> Timestamp {
    Timestamp::parse("2026-12-01T00:00:00Z").unwrap().plus(s)
}

fn page(entries: u64, total: u64) -> PageDone {
    PageDone { entries, total, added: entries, calls: 2, ..PageDone::default() }
}

#[test]
fn the_cursor_moves_over_what_came_and_the_end_is_the_total_or_an_empty_page() {
    let r = Run::start("s1".into(), "p".into(), "api", t(0));
    let r = after_page(&r, &page(100, 250), t(1));
    assert!(!at_end(&r, 100));
    // A short page moves the cursor by what came, not by the limit: nothing is skipped.
    let r = after_page(&r, &page(37, 250), t(2));
    assert_eq!((r.offset, r.read(), r.calls, r.pages), (137, 137, 4, 2));
    assert!(!at_end(&r, 37));
    let r = after_page(&r, &page(113, 250), t(3));
    assert!(at_end(&r, 113));
    assert!(at_end(&after_page(&r, &page(0, 300), t(4)), 0), "an empty page ends the list");
    assert_eq!(may_mark(&r), Ok(()));
    let f = finish(&r, Ok(4), t(5));
    assert_eq!((f.state, f.counts.marked, f.finished_at), (RunState::Done, 4, Some(t(5))));
    assert_eq!(per_thousand(&f), Some((20.0, 24.0)));
}

#[test]
fn a_list_that_changed_under_the_cursor_marks_nothing() {
    let r = Run::start("s1".into(), "p".into(), "cron", t(0));
    let r = after_page(&r, &page(100, 120), t(1));
    let r = after_page(&r, &page(0, 120), t(2));
    let why = may_mark(&r).unwrap_err();
    assert!(why.contains("100 entries read, 120 listed"), "{why}");
    let f = finish(&r, Err(why), t(3));
    assert_eq!(f.counts.marked, 0);
    assert!(f.marking.is_some());
}

#[test]
fn failures_back_off_then_give_up_and_a_page_resets_them() {
    let mut r = Run::start("s1".into(), "p".into(), "api", t(0));
    r = after_failure(&r, "bss 503", None, 1, t(0));
    assert_eq!((r.next_at, r.state), (t(10), RunState::Running));
    r = after_failure(&r, "bss 503", None, 1, t(10));
    assert_eq!(r.next_at, t(30));
    r = after_failure(&r, "bss 429", Some(7), 1, t(30));
    assert_eq!(r.next_at, t(37), "Huawei's Retry-After wins");
    r = after_page(&r, &page(100, 1000), t(40));
    assert_eq!((r.failures, r.last_error.clone()), (0, None));
    for i in 0..MAX_FAILURES {
        r = after_failure(&r, "bss 500", None, 1, t(50 + i as i64));
    }
    assert_eq!(r.state, RunState::Failed);
    assert_eq!(r.next_at.unix() - t(57).unix(), 300, "waits are capped at 5 minutes");
}

#[test]
fn the_schedule_and_the_sweep() {
    assert!(due(None, 60, t(0)));
    assert!(!due(Some(t(0)), 60, t(3599)));
    assert!(due(Some(t(0)), 60, t(3600)));
    assert!(!due(None, 0, t(0)), "0 turns the scheduled sync off");
    let r = Run::start("s1".into(), "p".into(), "api", t(0));
    assert!(!stalled(&r, t(119)));
    assert!(stalled(&r, t(120)));
    let waiting = after_failure(&r, "x", Some(300), 1, t(0));
    assert!(!stalled(&waiting, t(400)), "a run waiting for its retry is not stalled");
    assert!(!stalled(&finish(&r, Ok(0), t(1)), t(1000)));
}

#[test]
fn an_empty_directory_marks_nobody() {
    let r = Run::start("s1".into(), "p".into(), "cron", t(0));
    let r = after_page(&r, &page(0, 0), t(1));
    assert!(at_end(&r, 0));
    let why = may_mark(&r).unwrap_err();
    assert!(why.contains("listed no customers"), "{why}");
}
