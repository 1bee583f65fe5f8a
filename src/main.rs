//! Mounts the helper; everything else lives in the library.

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        use trakt_oauth_helper::browser;
        // Framed by another page, it reads nothing and shows nothing to click.
        if browser::is_framed() {
            return browser::refuse_frame();
        }
        browser::log_panics();
        // Built off screen; the page takes the place of “Starting the helper…” once its
        // first screen is settled (`browser::reveal`).
        leptos::mount::mount_to(browser::stage(), trakt_oauth_helper::ui::App).forget();
    }
}
