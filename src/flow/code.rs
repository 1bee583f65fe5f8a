//! A returned code: checked, claimed across tabs, then sent once.

use super::transition::store;
use super::{CallbackStage, Claim, Effect, Flow, Request, Trigger};
use crate::browser::keys::StorageKey;
use crate::oauth::returned::check_state;
use crate::problem::Problem;
use crate::secrets::jwt::check_input;
use crate::secrets::secret::AuthCode;

impl Flow {
    /// The state to send with a code the person sends on (pasted, or confirmed with a
    /// click), or why it is not sent. This tab's own nonce, live or not, is answered with
    /// the state the backend put in its link; any other state must be the JWT's user, which
    /// is how the backend makes it.
    pub(super) fn state_for_person(&self, returned: Option<&str>) -> Result<String, Problem> {
        if let Some(pending) = &self.pending {
            if returned == Some(pending.nonce.as_str()) {
                if self.backend().is_none_or(|b| b.as_str() != pending.backend) {
                    return Err(Problem::new(
                        "This code comes from an authorization started for another backend URL \
                         than the one on this page now, so it was not sent.",
                        format!(
                            "Put {} back in Backend URL and paste the code again, or follow \
                             “Authorize on Trakt” again.",
                            pending.backend
                        ),
                    ));
                }
                return self.own_state(&pending.state);
            }
        }
        // A nonce of this page that this tab holds no record of.
        if returned.is_some_and(is_nonce) {
            return Err(Problem::new(
                "This code came back to an authorization this tab has no record of: one \
                 started in another tab, one this tab already finished, or one the browser \
                 would not let it record.",
                "Nothing was sent. Finish in the tab where you followed “Authorize on Trakt”, \
                 or follow it again in this tab.",
            ));
        }
        let user = self.jwt_user();
        check_state(returned, user.as_deref()).map_err(|p| p.problem())
    }

    /// The state the backend put in this tab's link, to send with its code: unless the JWT
    /// on the page now is another user's than the one it names (the backend would refuse
    /// the code, and it would be spent).
    pub(super) fn own_state(&self, state: &str) -> Result<String, Problem> {
        match self.jwt_user() {
            Some(user) => check_state(Some(state), Some(&user)).map_err(|p| p.problem()),
            None => Ok(state.to_owned()),
        }
    }

    /// Whether a returned code could not go on only because the page has no JWT to check
    /// its `state` against and send it with (none, one unreadable, or one expired that no
    /// sign-in here renews; a state of no authorization this page made): it waits, in this
    /// tab only, for a JWT and the person's click.
    pub(super) fn waits_for_jwt(&self, returned: Option<&str>) -> bool {
        let now_s = self.now_ms.div_euclid(1000);
        check_input(self.jwt_text(), now_s).is_err()
            && self.refresh_for_renewal().is_none()
            && !returned.is_some_and(is_nonce)
    }

    /// Whether the code waiting for the person's click waits for a JWT first: the view
    /// holds its Send button meanwhile.
    pub fn awaiting_waits_for_jwt(&self) -> bool {
        self.awaiting
            .as_ref()
            .is_some_and(|awaiting| self.waits_for_jwt(awaiting.state.as_deref()))
    }

    /// A code the person sent on: checked by [`Self::state_for_person`], then claimed.
    pub(super) fn accept_by_person(
        &mut self,
        code: AuthCode,
        returned: Option<String>,
        trigger: Trigger,
    ) -> Vec<Effect> {
        self.awaiting = None;
        // Any other code ends the offer to finish one by hand.
        match self.by_hand.take() {
            Some(offered) if offered.sent && offered.code == code => {
                self.by_hand = Some(offered);
                return vec![Effect::Show(Problem::new(
                    "This code was sent from this tab already, and the backend did not take \
                     it, so it is not sent again.",
                    "Finish with the terminal command (open “Finish from a terminal instead” \
                     below) while the code is fresh (codes expire in minutes), or follow \
                     “Authorize on Trakt” again for a new code.",
                ))];
            }
            _ => {}
        }
        // With an expired JWT, checked against its user now, and again, then claimed, once
        // it is renewed (`after_renewal`).
        let checked = self.state_for_person(returned.as_deref());
        if checked.is_ok() && self.callback == CallbackStage::Idle && self.credentials().is_err() {
            if let Some(renew) = self.renew() {
                self.callback = CallbackStage::Unchecked {
                    code,
                    returned,
                    trigger,
                };
                return renew;
            }
        }
        match checked {
            Ok(state) => {
                let mut effects = vec![];
                if self.pending.as_ref().map(|p| &p.nonce) == returned.as_ref() {
                    self.pending = None;
                    effects.push(store(StorageKey::PendingAuthorization, None));
                }
                effects.extend(self.begin_claim(code, state, trigger));
                effects
            }
            Err(problem) => vec![Effect::Show(problem)],
        }
    }

    /// Claims a code across tabs, once this tab can send it at all.
    pub(super) fn begin_claim(
        &mut self,
        code: AuthCode,
        state: String,
        trigger: Trigger,
    ) -> Vec<Effect> {
        if self.callback != CallbackStage::Idle {
            return vec![Effect::Show(Problem::new(
                "Another code is being sent from this tab; this one was not sent.",
                "Wait for the outcome above, then paste this code again if it is still needed.",
            ))];
        }
        if let (Err(problem), None) = (self.credentials(), self.refresh_for_renewal()) {
            return vec![Effect::Show(cannot_send(&problem))];
        }
        self.by_hand = None;
        self.callback = CallbackStage::Claiming {
            code: code.clone(),
            state,
        };
        vec![Effect::Claim(Claim { code, trigger })]
    }

    /// Sends a claimed code, renewing an expired JWT first.
    pub(super) fn send_code(
        &mut self,
        code: AuthCode,
        state: String,
        may_renew: bool,
    ) -> Vec<Effect> {
        match self.credentials() {
            Ok(credentials) => {
                self.callback = CallbackStage::Sending {
                    code: code.clone(),
                    state: state.clone(),
                };
                vec![self.send(credentials, Request::Callback { code, state })]
            }
            Err(problem) => match may_renew.then(|| self.renew()).flatten() {
                Some(renew) => {
                    self.callback = CallbackStage::Renewing { code, state };
                    renew
                }
                None => {
                    self.callback = CallbackStage::Idle;
                    vec![Effect::Show(cannot_send(&problem))]
                }
            },
        }
    }
}

/// Whether a `state` is one of this page's nonces (`browser::tabs::nonce`: 32 hex digits),
/// which no backend makes.
pub(super) fn is_nonce(state: &str) -> bool {
    state.len() == 32 && state.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Why a returned code is not sent on, with what to do.
pub(super) fn cannot_send(problem: &Problem) -> Problem {
    Problem::new(
        format!(
            "Trakt sent a code, but it cannot be sent on: {}",
            problem.title
        ),
        format!(
            "Nothing was sent. Fix this, then follow “Authorize on Trakt” again. {}",
            problem.next_step
        ),
    )
}
