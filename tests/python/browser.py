"""Headless Chromium driven through the Chrome DevTools Protocol (websocket-client), for page tests.

One Browser process per use: open a page, collect console errors, uncaught exceptions and every
network request while it loads, run JavaScript in it, and take a full-page screenshot.
"""

from __future__ import annotations

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import websocket

CHROMIUM = "/usr/bin/chromium"
TIMEOUT = 90


def chromium_path() -> str:
    """The browser binary; `make browser` installs Debian's chromium where it is missing."""
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if not found:
        raise RuntimeError("chromium is not installed: run `make browser` (apt-get install chromium)")
    return found


class Browser:
    """A headless Chromium with one page, spoken to over its DevTools websocket."""

    def __init__(self, width: int = 1400, height: int = 1000) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="mrr-chromium-"))
        self.process = subprocess.Popen(
            [chromium_path(), "--headless=new", "--disable-gpu", "--no-sandbox", "--no-first-run",
             "--no-default-browser-check", "--hide-scrollbars", "--remote-debugging-port=0",
             "--remote-allow-origins=*", f"--user-data-dir={self.profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.events: list[dict[str, Any]] = []
        self.next_id = 0
        self.socket = websocket.create_connection(self.page_socket_url(), timeout=TIMEOUT,
                                                  suppress_origin=True)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def page_socket_url(self) -> str:
        """The websocket of the first page, once Chromium has written its DevTools port."""
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + TIMEOUT
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port = port_file.read_text().splitlines()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=TIMEOUT) as response:
            targets = json.load(response)
        return next(target["webSocketDebuggerUrl"] for target in targets if target["type"] == "page")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its answer, keeping the events that arrive meanwhile."""
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for_event(self, method: str) -> None:
        while not any(event.get("method") == method for event in self.events):
            self.events.append(json.loads(self.socket.recv()))

    def open(self, url: str) -> None:
        """Navigate and wait for the load event (scripts have run by then)."""
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_for_event("Page.loadEventFired")
        self.evaluate("new Promise(resolve => requestAnimationFrame(() => resolve(true)))")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited, results as JSON)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads seen since the page was opened."""
        errors = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
                errors.append(" ".join(str(arg.get("value", arg.get("description"))) for arg in params["args"]))
            elif method == "Runtime.exceptionThrown":
                errors.append(str(params["exceptionDetails"]))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                errors.append(params["entry"]["text"])
            elif method == "Network.loadingFailed":
                errors.append(f"failed to load: {params.get('errorText')}")
        return errors

    def requested_urls(self) -> list[str]:
        return [event["params"]["request"]["url"] for event in self.events
                if event.get("method") == "Network.requestWillBeSent"]

    def screenshot(self, path: Path, scale: float = 1.0) -> Path:
        """A PNG of the whole page, however long, at `scale` (0.5: half the pixels each way)."""
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": scale}
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def close(self) -> None:
        try:
            self.socket.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            shutil.rmtree(self.profile, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    """`python tests/python/browser.py page.html out.png`: a full-page screenshot (make screenshot)."""
    parser = argparse.ArgumentParser(description="full-page PNG of an HTML file in headless Chromium")
    parser.add_argument("page", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--width", type=int, default=1280, help="viewport width in CSS pixels")
    parser.add_argument("--scale", type=float, default=1.0, help="pixels per CSS pixel in the PNG")
    args = parser.parse_args(argv)
    browser = Browser(width=args.width)
    try:
        browser.open(args.page.resolve().as_uri())
        errors = browser.console_errors()
        if errors:
            raise SystemExit(f"{args.page}: console errors: {errors}")
        shot = browser.screenshot(args.out, scale=args.scale)
    finally:
        browser.close()
    print(f"Wrote {shot} ({shot.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
