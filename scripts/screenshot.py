"""Screenshot of a page of a running crm_sme server, logged in (headless Chromium).

Usage: .venv/bin/python scripts/screenshot.py URL OUT.png [LOGIN PASSWORD WxH WAIT [CSS-TO-CLICK...]]
Logs in through /web/session/authenticate, hands the session cookie to Chromium
over the DevTools protocol, waits for the page to settle and saves a PNG.
"""

import base64
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import websocket


def login(base, db, user, password):
    payload = json.dumps(
        {"jsonrpc": "2.0", "params": {"db": db, "login": user, "password": password}}
    ).encode()
    request = urllib.request.Request(
        f"{base}/web/session/authenticate", payload, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        cookie = response.headers.get("Set-Cookie", "")
    return cookie.split("session_id=")[1].split(";")[0]


def main():
    url, out = sys.argv[1], sys.argv[2]
    user = sys.argv[3] if len(sys.argv) > 3 else "admin"
    password = sys.argv[4] if len(sys.argv) > 4 else "admin"
    width, height = (sys.argv[5] if len(sys.argv) > 5 else "1440x900").split("x")
    parts = urllib.parse.urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    db = urllib.parse.parse_qs(parts.query).get("db", ["crm_sme_demo"])[0]
    session = login(base, db, user, password)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    profile = tempfile.mkdtemp()
    chrome = subprocess.Popen(
        [
            shutil.which("chromium") or "chromium",
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=2) as response:
                    targets = json.load(response)
                break
            except OSError:
                time.sleep(0.2)
        page = next(t for t in targets if t["type"] == "page")
        ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        counter = iter(range(1, 1000))

        def call(method, **params):
            msg_id = next(counter)
            ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
            while True:
                message = json.loads(ws.recv())
                if message.get("id") == msg_id:
                    return message.get("result", {})

        call("Network.enable")
        call("Network.setCookie", name="session_id", value=session, domain=parts.hostname, path="/")
        call(
            "Emulation.setDeviceMetricsOverride",
            width=int(width),
            height=int(height),
            deviceScaleFactor=1,
            mobile=False,
        )
        call("Page.navigate", url=url)
        time.sleep(float(sys.argv[6]) if len(sys.argv) > 6 else 6)
        for selector in sys.argv[7:]:  # e.g. a notebook tab to open before the shot
            script = (
                f"[...document.querySelectorAll({json.dumps(selector)})].forEach(e => e.click())"
            )
            call("Runtime.evaluate", expression=script)
            time.sleep(2)
        shot = call("Page.captureScreenshot", format="png")
        with open(out, "wb") as handle:
            handle.write(base64.b64decode(shot["data"]))
        ws.close()
    finally:
        chrome.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
