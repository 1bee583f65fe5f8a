//! Mounts the helper; everything else lives in the library.

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        use trakt_oauth_helper::browser;
        browser::started();
        // Framed by another page, it reads nothing and shows nothing to click.
        if browser::is_framed() {
            return browser::refuse_frame();
        }
        browser::log_panics();
        leptos::mount::mount_to_body(trakt_oauth_helper::ui::App);
    }
}
