from tests.gui_helpers import conversation_text, start_app, wait_until_idle


def test_opening_streams_in(qtbot, server, data_dir, keyring_backend, tmp_path):
    window, _context = start_app(
        qtbot,
        [
            "--data-dir",
            str(data_dir),
            "--language",
            "es",
            "--level",
            "A2",
            "--base-url",
            server.base_url,
            "--model",
            "tutor-test-small",
        ],
        key_backend=keyring_backend,
    )
    wait_until_idle(qtbot, window)
    text = conversation_text(window)
    assert text.count("Partner") == 1, text
    assert "writing…" not in text
    assert "Respuesta 1" in text
    window.grab().save(str(tmp_path / "shot.png"))
    window.grab().save("/tmp/smoke.png")
