//! What the property test (`tabs.rs`) found, kept as plain cases: each sequence broke a
//! rule before its fix.

use super::tabs::{replay, Op};
use trakt_oauth_helper::flow::PENDING_FOR_MS;

#[test]
fn a_full_storage_never_pairs_a_token_with_another_backend() {
    // Found by the property test when the JWT and its backend were two values: the new
    // JWT's write failed, its backend's removal did not, and the old JWT came back after
    // trakt.tv without its backend and went to the device's.
    replay(vec![
        Op::SignIn(0, 1),
        Op::Duplicate(0, 2),
        Op::Commit(2, 0),
        Op::Full(true),
        Op::TypeJwt {
            tab: 0,
            user: 1,
            issuer: 0,
            expired: false,
        },
        Op::ToTraktAndBack(0),
    ]);
}

#[test]
fn a_renewed_token_that_is_expired_already_is_not_renewed_again() {
    // It renewed forever: a stack overflow.
    replay(vec![
        Op::Commit(0, 0),
        Op::SignIn(0, 1),
        Op::Tick(PENDING_FOR_MS - 1),
        Op::Tick(PENDING_FOR_MS - 1),
        Op::Tick(PENDING_FOR_MS - 1),
        Op::CheckStatus(0),
    ]);
}

#[test]
fn a_remembered_jwt_belongs_to_its_backend_in_its_own_tab_too() {
    // A new tab had the remembered JWT accepted by the backend it was remembered with,
    // while the first tab still let it follow to another backend.
    replay(vec![
        Op::TypeJwt {
            tab: 0,
            user: 1,
            issuer: 2,
            expired: false,
        },
        Op::Remember(0, true),
        Op::Open(1),
        Op::Commit(0, 0),
        Op::CheckStatus(0),
    ]);
}

#[test]
fn a_duplicated_tab_stays_on_its_backend() {
    // The copy started on the device's backend, got the JWT accepted there, and the
    // original sent it to its own.
    replay(vec![
        Op::Open(1),
        Op::Commit(0, 1),
        Op::Open(2),
        Op::TypeJwt {
            tab: 2,
            user: 1,
            issuer: 0,
            expired: false,
        },
        Op::Commit(0, 0),
        Op::Duplicate(2, 0),
        Op::CheckStatus(2),
    ]);
}

#[test]
fn a_forget_after_the_epoch_was_tampered_with_still_reaches_every_tab() {
    // With a counter, the second Forget wrote the epoch a tab already held, and that tab
    // kept its data.
    replay(vec![
        Op::Forget(0),
        Op::Duplicate(0, 2),
        Op::Corrupt {
            key: 8,
            junk: 3,
            local: true,
            tab: 0,
        },
        Op::TypeJwt {
            tab: 2,
            user: 1,
            issuer: 0,
            expired: false,
        },
        Op::Open(1),
        Op::Forget(1),
        Op::Duplicate(2, 0),
    ]);
}

#[test]
fn a_token_a_backend_accepted_is_never_read_back_unbound_when_storage_refuses_writes() {
    // The binding could not be written and the older, unbound record came back after
    // trakt.tv; a refused write now removes the value instead.
    replay(vec![
        Op::Open(2),
        Op::TypeJwt {
            tab: 2,
            user: 1,
            issuer: 1,
            expired: false,
        },
        Op::Full(true),
        Op::Commit(2, 1),
        Op::CheckStatus(2),
        Op::Forged { tab: 2, state: 0 },
    ]);
}

#[test]
fn a_forget_storage_refuses_to_record_does_not_erase_the_one_before() {
    replay(vec![
        Op::Open(2),
        Op::Open(1),
        Op::SignIn(1, 1),
        Op::Leave(1),
        Op::Forget(2),
        Op::Full(true),
        Op::Forget(2),
        Op::ToTraktAndBack(1),
    ]);
}

#[test]
fn a_tampered_epoch_counts_as_a_forget_no_tab_saw() {
    // An epoch that does not read was taken for "no Forget yet", and a tab away at trakt.tv
    // came back with its data.
    replay(vec![
        Op::TypeJwt {
            tab: 0,
            user: 1,
            issuer: 0,
            expired: false,
        },
        Op::Duplicate(0, 2),
        Op::Leave(0),
        Op::Forget(2),
        Op::Corrupt {
            key: 8,
            junk: 3,
            local: true,
            tab: 0,
        },
        Op::ToTraktAndBack(0),
    ]);
}

#[test]
fn an_offer_to_finish_by_hand_stays_with_its_user_through_a_renewal() {
    // The model renewed every token as user 1: a code that storage would not let the tab
    // claim, offered by hand for user 2, then stood beside user 1's renewed JWT. A backend
    // renews for the user its refresh token names.
    replay(vec![
        Op::Full(true),
        Op::Open(2),
        Op::SignIn(2, 2),
        Op::TypeJwt {
            tab: 2,
            user: 2,
            issuer: 0,
            expired: true,
        },
        Op::Paste {
            tab: 2,
            state: 2,
            reuse: false,
        },
    ]);
}

#[test]
fn a_code_for_another_users_authorization_is_not_sent_with_this_jwt() {
    // Found once the model checked whose JWT goes with a code: alice followed the link,
    // bob's JWT was typed, and the return (by the tab's nonce) went with bob's JWT and
    // alice's state, which the backend refuses, spending the code.
    replay(vec![
        Op::TypeJwt {
            tab: 0,
            user: 1,
            issuer: 0,
            expired: false,
        },
        Op::Authorize(0),
        Op::TypeJwt {
            tab: 0,
            user: 2,
            issuer: 0,
            expired: false,
        },
        Op::Forged { tab: 0, state: 3 },
    ]);
}
