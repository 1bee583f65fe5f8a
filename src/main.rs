//! Mounts the helper; everything else lives in the library.

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        trakt_oauth_helper::browser::install_crash_notice();
        leptos::mount::mount_to_body(trakt_oauth_helper::ui::App);
    }
}
