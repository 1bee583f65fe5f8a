//! Random event sequences in up to three tabs that share one device storage, each with its
//! own tab storage, with a model of the backends, of trakt.tv and of an attacker. After
//! every step:
//! - a code is sent at most once in all;
//! - a JWT or a refresh token that a backend issued or accepted goes to no other backend;
//! - after “Forget” in any tab, no request carries a token from before it;
//! - a return is claimed without a click only when it carries the live nonce that tab
//!   made when the person followed its link;
//! - no stored value makes the transition panic;
//! - with renewals held and answered in any order: no renewal is asked while the same one is
//!   on its way, what waits for one has one on its way, and a tab signed in never holds
//!   another user's JWT.

pub(super) use super::ops::Op;
use super::ops::{BACKENDS, JUNK, TABS};
use super::support::*;
use super::world::{Renewal, World};
use proptest::prelude::*;
use std::collections::BTreeMap;
use trakt_oauth_helper::flow::PENDING_FOR_MS;
use trakt_oauth_helper::oauth::returned::Returned;

fn op() -> impl Strategy<Value = Op> {
    let tab = 0..TABS;
    // Weighted towards what a person does most, so the rarer interleavings (a Forget
    // while a tab is away at trakt.tv) still come up often.
    prop_oneof![
        2 => tab.clone().prop_map(Op::Open),
        2 => (tab.clone(), 0..BACKENDS.len()).prop_map(|(t, b)| Op::Commit(t, b)),
        1 => tab.clone().prop_map(Op::CommitJunk),
        1 => (tab.clone(), 0..BACKENDS.len()).prop_map(|(t, b)| Op::Found(t, b)),
        2 => (tab.clone(), 1..3u32, 0..BACKENDS.len(), any::<bool>()).prop_map(
            |(tab, user, issuer, expired)| Op::TypeJwt { tab, user, issuer, expired }
        ),
        3 => (tab.clone(), 1..3u32).prop_map(|(t, u)| Op::SignIn(t, u)),
        1 => (tab.clone(), any::<bool>()).prop_map(|(t, r)| Op::Remember(t, r)),
        1 => tab.clone().prop_map(Op::CheckStatus),
        3 => tab.clone().prop_map(Op::Authorize),
        3 => tab.clone().prop_map(Op::ToTraktAndBack),
        2 => tab.clone().prop_map(Op::Leave),
        1 => (tab.clone(), 0..5usize).prop_map(|(tab, state)| Op::Forged { tab, state }),
        1 => (tab.clone(), tab.clone()).prop_map(|(a, b)| Op::Duplicate(a, b)),
        1 => (tab.clone(), 0..5usize, any::<bool>()).prop_map(|(tab, state, reuse)| Op::Paste {
            tab,
            state,
            reuse
        }),
        1 => tab.clone().prop_map(Op::Confirm),
        1 => tab.clone().prop_map(Op::Dismiss),
        2 => tab.clone().prop_map(Op::Forget),
        1 => (1..PENDING_FOR_MS).prop_map(Op::Tick),
        // An hour: every access token the world made so far has expired.
        1 => Just(Op::Tick(60 * 60 * 1000)),
        1 => (0..32usize, 0..JUNK.len(), any::<bool>(), tab.clone()).prop_map(|(key, junk, local, tab)| {
            Op::Corrupt { key, junk, local, tab }
        }),
        1 => any::<bool>().prop_map(Op::Full),
        1 => any::<bool>().prop_map(Op::HoldRenewals),
        1 => tab.clone().prop_map(Op::WantRenewal),
        2 => (0..4usize, prop_oneof![Just(Renewal::Renewed), Just(Renewal::Refused), Just(Renewal::Failed)])
            .prop_map(|(pick, answer)| Op::AnswerRenewal { pick, answer }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn what_must_hold_in_any_order_of_events(ops in prop::collection::vec(op(), 1..60)) {
        replay(ops);
    }
}

#[test]
fn the_backends_do_not_get_in_the_way() {
    // A plain run, so the property test's model is known to reach a POST at all.
    let world = replay(vec![
        Op::Commit(0, 0),
        Op::SignIn(0, 1),
        Op::Authorize(0),
        Op::ToTraktAndBack(0),
    ]);
    assert_eq!(world.posted.len(), 1);
}

#[test]
fn renewals_held_past_another_sign_in_reach_the_checks() {
    // So the model is known to reach the renewals' rules: alice's expired access token is
    // being renewed when bob signs in, and alice's renewal answers after.
    let world = replay(vec![
        Op::Commit(0, 0),
        Op::SignIn(0, 1),
        Op::Tick(60 * 60 * 1000),
        Op::HoldRenewals(true),
        Op::CheckStatus(0),
        Op::CheckStatus(0),
        Op::SignIn(0, 2),
        Op::AnswerRenewal {
            pick: 0,
            answer: Renewal::Renewed,
        },
    ]);
    assert!(world.held.is_empty());
    assert_eq!(
        world.tabs[0]
            .as_ref()
            .unwrap()
            .tab
            .flow
            .jwt_user()
            .as_deref(),
        Some("2")
    );
}

/// Runs `ops` in a world with one open tab; the checks are the property test's. Returns
/// the world after them.
pub(super) fn replay(ops: Vec<Op>) -> World {
    let mut world = World {
        now_ms: NOW_MS,
        ..World::default()
    };
    world.open(0, BTreeMap::new(), Returned::Nothing);
    for op in ops {
        world.run(op);
    }
    world
}
