"""Drive `gan-restore app` in headless Chromium (Selenium): upload a photo, restore it, download the full-size result.

Used by tests/test_app.py, and to take the docs' screenshot of the page restoring a photo:

    python tools/app_browser.py --model RUN --photo noisy.png --screenshot nbs/images/app.png
"""
import argparse, os, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path

def chromium()->tuple[str, str]|None:
    "The paths of Chromium and its driver (Debian's `chromium` and `chromium-driver`), or None where they are not installed."
    browser = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')
    driver = shutil.which('chromedriver')
    return (browser, driver) if browser and driver else None

def free_port()->int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def serve(model, port:int, *args, timeout:float=300)->subprocess.Popen:
    "Start `gan-restore app --model MODEL` on `port`; return once the page answers (or fail with the app's output)."
    exe = shutil.which('gan-restore') or str(Path(sys.executable).parent/'gan-restore')
    p = subprocess.Popen([exe, 'app', '--model', str(model), '--port', str(port), *map(str, args)],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, 'GRADIO_ANALYTICS_ENABLED': 'False'})
    deadline = time.time() + timeout
    while time.time() < deadline:
        if p.poll() is not None: raise RuntimeError(f"gan-restore app exited with {p.returncode}:\n{p.stdout.read()}")
        try:
            urllib.request.urlopen(f'http://127.0.0.1:{port}/', timeout=2); return p
        except OSError: time.sleep(0.5)
    p.kill(); raise TimeoutError(f"gan-restore app did not answer on port {port} within {timeout} s")

def drive_app(url:str, photo, dest, screenshot=None, model:str|None=None, timeout:float=300)->Path:
    "In headless Chromium: open the app at `url`, upload `photo`, pick `model` (a label), press Restore, and download the result into `dest`."
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait, Select
    from selenium.webdriver.support import expected_conditions as EC
    browser, driver_path = chromium()
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for a in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--window-size=1400,1100'): opts.add_argument(a)
    driver = webdriver.Chrome(options=opts, service=webdriver.ChromeService(executable_path=driver_path))
    try:
        driver.get(url)
        wait = WebDriverWait(driver, timeout)
        upload = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '#before input[type=file]')))
        upload.send_keys(str(Path(photo).resolve()))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '#before img')))   # the upload is shown
        if model is not None:
            box = driver.find_element(By.CSS_SELECTOR, '#model input')
            box.click(); box.clear(); box.send_keys(model)
            wait.until(EC.element_to_be_clickable((By.XPATH, f"//ul//li[contains(., '{model}')]"))).click()
        driver.find_element(By.CSS_SELECTOR, 'button#restore').click()
        link = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '#download a[href]')))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, '#after img')))
        time.sleep(1)   # let the images settle before the screenshot
        if screenshot is not None: Path(screenshot).parent.mkdir(parents=True, exist_ok=True); driver.save_screenshot(str(screenshot))
        href = link.get_attribute('href')
        out = Path(dest)/Path(urllib.request.url2pathname(href.split('?')[0])).name
        out.parent.mkdir(parents=True, exist_ok=True)
        with urllib.request.urlopen(href, timeout=60) as r: out.write_bytes(r.read())
        return out
    finally: driver.quit()

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--model', required=True); ap.add_argument('--photo', required=True)
    ap.add_argument('--screenshot', required=True); ap.add_argument('--dest', default='/tmp/app_browser')
    a = ap.parse_args()
    if chromium() is None: sys.exit('needs chromium and chromedriver (apt-get install chromium chromium-driver)')
    port = free_port(); p = serve(a.model, port)
    try: print(drive_app(f'http://127.0.0.1:{port}/', a.photo, a.dest, a.screenshot))
    finally: p.terminate(); p.wait(10)

if __name__ == '__main__': main()
