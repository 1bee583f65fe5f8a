//! When Trakt is connected: refresh its token, or check that syncing works. From the
//! `tools` part ([`token_tools`]), shown once connected.

use super::expiry::describe_expiry;
use super::latest::{Latest, Load};
use super::parts::split_point;
use super::problem_view::ProblemView;
use super::session::requests::explain;
use super::session::Session;
use crate::backend::backend_url::Endpoint;
use crate::backend::contract::{Expiry, StoredMovies, SyncStarted, TraktRefresh};
use crate::backend::http;
use crate::problem::Problem;
use leptos::prelude::*;
use std::future::Future;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tool {
    Refresh,
    TestSync,
}

/// What a tool found.
#[derive(Clone, Debug, PartialEq)]
enum ToolResult {
    Refreshed(Option<Expiry>),
    Synced {
        message: Option<String>,
        titles: Vec<String>,
        total: Option<u64>,
    },
}

/// When connected: refresh the Trakt token, or check that syncing works.
#[component]
pub fn TokenTools(session: Session) -> impl IntoView {
    let tools = Latest::new(move |tool: &Tool| use_tool(session, *tool));
    let busy = move || tools.pending();
    view! {
        <div class="tools" data-testid="token-tools">
            <p class="hint">
                "Trakt access tokens last about a day; the backend renews them with a refresh \
                 token, which works only once. If syncing stops, refresh here or authorize again."
            </p>
            <div class="actions">
                <button type="button" class="secondary" disabled=busy on:click=move |_| tools.dispatch(Tool::Refresh)>
                    "Refresh Trakt token"
                </button>
                <button type="button" class="secondary" disabled=busy on:click=move |_| tools.dispatch(Tool::TestSync)>
                    "Test sync"
                </button>
            </div>
            <div aria-live="polite">
                {move || match tools.load() {
                    Load::Idle => None,
                    Load::Busy => Some(view! { <p class="muted">"Working…"</p> }.into_any()),
                    Load::Ready(ToolResult::Refreshed(expires)) => Some(
                        view! {
                            <p class="hint" data-testid="tool-result">
                                {format!("Token refreshed: it now expires {}.", describe_expiry(&expires))}
                            </p>
                        }
                        .into_any(),
                    ),
                    Load::Ready(ToolResult::Synced { message, titles, total }) => Some(
                        view! {
                            <div data-testid="tool-result">
                                <p class="hint">
                                    {format!(
                                        "Sync: {}. Latest stored movies ({} in all):",
                                        message.unwrap_or_else(|| "started".to_owned()),
                                        total.map_or_else(|| "?".to_owned(), |t| t.to_string())
                                    )}
                                </p>
                                <ul class="titles">
                                    {titles.into_iter().map(|title| view! { <li>{title}</li> }).collect_view()}
                                </ul>
                            </div>
                        }
                        .into_any(),
                    ),
                    Load::Failed(problem) => Some(view! { <ProblemView problem=problem testid="tool-problem" /> }.into_any()),
                }}
            </div>
        </div>
    }
}

fn use_tool(session: Session, tool: Tool) -> impl Future<Output = Result<ToolResult, Problem>> {
    session.authorized(move |c| async move {
        match tool {
            // `GET /trakt/refresh-token/`, then the status again.
            Tool::Refresh => {
                let answer = http::get::<TraktRefresh>(
                    &c.backend,
                    Endpoint::RefreshTraktToken,
                    Some(&c.jwt),
                )
                .await;
                let answer = explain(answer, &c.backend)?;
                session.check_status();
                Ok(ToolResult::Refreshed(
                    answer.expires_at.as_deref().map(Expiry::new),
                ))
            }
            // A sync smoke test: starts a movie sync, then lists the latest stored movies.
            Tool::TestSync => {
                let started =
                    http::get::<SyncStarted>(&c.backend, Endpoint::FetchLatestMovies, Some(&c.jwt))
                        .await;
                let started = explain(started, &c.backend)?;
                let stored =
                    http::get::<StoredMovies>(&c.backend, Endpoint::StoredMovies, Some(&c.jwt))
                        .await;
                let stored = explain(stored, &c.backend)?;
                Ok(ToolResult::Synced {
                    message: started.message.or(started.status),
                    titles: stored.titles(),
                    total: stored.total_items,
                })
            }
        }
    })
}

split_point! {
    /// Refreshing the Trakt token and the sync smoke test, shown once connected.
    tools: fn token_tools(session: Session) {
        view! { <TokenTools session=session /> }
    }
}
