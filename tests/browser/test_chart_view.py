"""Where the chart opens, its remembered zoom, drag and pinch, at 1440x900 and on a phone (390x844).

The rule (static/pohon/chart-view.js): the whole tree fitted when its boxes' text stays at least
9 px on screen, else the head's box with the first Bidang (an operator's own unit box) at the
largest readable scale, else (a phone) the head's box alone at a readable scale.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from dinas.models import Keanggotaan, UnitKerja
from pohon.models import Node
from tests.browser.conftest import CSP_WATCH, fill_login_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_CHART = "/pohon/dpmd-lumajang/2018/"
READABLE_SCALE = 9 / 12.48  # the boxes' 0.78rem text at 9 px on screen
PHONE = {"width": 390, "height": 844}


def open_chart(page: Page, live_server, username: str) -> Page:
    page.goto(live_server.url + "/login/")
    fill_login_form(page, username)
    page.goto(live_server.url + DEMO_CHART)
    expect(page.locator("#cc-head")).to_be_visible()
    return page


def scale(page: Page) -> float:
    return page.evaluate("Number(document.getElementById('chart').dataset.scale || 1)")


def assert_whole_in_view(page: Page, selector: str) -> None:
    """The element lies wholly inside the chart's frame and inside the browser window: not cut."""
    box = page.locator(selector).bounding_box()
    frame = page.locator("#chart-viewport").evaluate(
        "v => { const r = v.getBoundingClientRect(); return {left: r.left + v.clientLeft,"
        " top: r.top + v.clientTop, right: r.left + v.clientLeft + v.clientWidth,"
        " bottom: r.top + v.clientTop + v.clientHeight}; }"
    )
    window = page.viewport_size
    assert box is not None, selector
    left, top, right, bottom = box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]
    assert frame["left"] - 0.5 <= left and right <= frame["right"] + 0.5, (selector, box, frame)
    assert frame["top"] - 0.5 <= top and bottom <= frame["bottom"] + 0.5, (selector, box, frame)
    assert left >= 0 and right <= window["width"], (selector, box)
    assert top >= 0 and bottom <= window["height"], (selector, box)


def first_division(page: Page) -> str:
    return "#" + page.locator(".cc-box--bidang").first.get_attribute("id")


def scroll_position(page: Page) -> tuple[float, float]:
    return tuple(page.locator("#chart-viewport").evaluate("v => [v.scrollLeft, v.scrollTop]"))


@pytest.fixture
def phone(browser: Browser, live_server, transactional_db, page_problems) -> Iterator[Page]:
    """A touch phone's page at 390x844 that fails the test on a script error or CSP violation."""
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="id-ID",
        timezone_id="Asia/Jakarta",
    )
    context.set_default_timeout(15_000)
    context.expose_function("pokinCspViolation", lambda report: page_problems.append(f"CSP violation: {report}"))
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.on("pageerror", lambda error: page_problems.append(f"script error: {error}"))
    yield page
    context.close()
    assert not page_problems, page_problems


def gesture(page: Page, start: list[tuple[float, float]], end: list[tuple[float, float]], steps: int = 8) -> None:
    """Fingers put down at ``start``, moved in steps to ``end`` and lifted, through the DevTools
    protocol (Playwright's own touch API taps; it has no drags or multi-touch gestures)."""
    session = page.context.new_cdp_session(page)

    def send(kind: str, points: list[tuple[float, float]]) -> None:
        touch_points = [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch_points})

    send("touchStart", start)
    for step in range(1, steps + 1):
        send(
            "touchMove",
            [
                (a + (c - a) * step / steps, b + (d - b) * step / steps)
                for (a, b), (c, d) in zip(start, end, strict=True)
            ],
        )
    send("touchEnd", [])
    session.detach()


def test_the_chart_opens_with_the_head_and_the_first_division_whole(page: Page, live_server, demo, screenshot):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_chart(page, live_server, "kadis")
    expect(page.locator("#chart-viewport")).to_have_attribute("data-own-nodes", "")  # kadis is no operator
    assert_whole_in_view(page, "#cc-head")
    division = first_division(page)  # the leftmost Bidang, the first in tree order
    assert_whole_in_view(page, division)
    # not the whole tree squeezed in: the demo is too wide for that at a readable size
    assert READABLE_SCALE - 0.01 <= scale(page) <= 1
    assert page.locator("#chart").bounding_box()["width"] > page.locator("#chart-viewport").bounding_box()["width"]
    screenshot("chart-view-open-1440.png")

    # a mouse drag on the chart's background pans it
    before = scroll_position(page)
    gap = page.locator("#chart-viewport").evaluate(
        """v => { const r = v.getBoundingClientRect();
          for (let y = r.bottom - 20; y > r.top + 20; y -= 15) for (let x = r.left + 20; x < r.right - 20; x += 15) {
            const e = document.elementFromPoint(x, y);
            if (v.contains(e) && !e.closest('.cc-box')) return [x, y];
          } return null; }"""
    )
    assert gap is not None
    page.mouse.move(*gap)
    page.mouse.down()
    page.mouse.move(gap[0] - 150, gap[1] - 60, steps=8)
    page.mouse.up()
    after = scroll_position(page)
    assert after[0] > before[0], (before, after)
    expect(page.locator("#node-panel")).to_be_hidden()  # the drag opened no panel


def test_the_operator_sees_their_own_unit(page: Page, live_server, demo, screenshot):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_chart(page, live_server, "operator")
    own = Keanggotaan.objects.get(user__username="operator", dinas=demo.dinas).unit
    node = Node.objects.get(pohon=demo, unit=own, jenis="bidang")
    expect(page.locator("#chart-viewport")).to_have_attribute("data-own-nodes", str(node.pk))
    assert_whole_in_view(page, f"#n-{node.pk}")
    assert_whole_in_view(page, "#cc-head")
    screenshot("chart-view-operator-1440.png")


def test_an_operator_of_the_last_division_opens_at_their_unit(page: Page, live_server, demo, django_user_model):
    last = Node.objects.filter(pohon=demo, jenis="bidang").order_by("-lft").first()
    user = django_user_model.objects.create_user("operator-akhir", password="pokin-demo-2018", is_staff=True)
    Keanggotaan.objects.create(
        user=user, dinas=demo.dinas, peran=Keanggotaan.Peran.OPERATOR, unit=UnitKerja.objects.get(pk=last.unit_id)
    )
    page.set_viewport_size({"width": 1440, "height": 900})
    open_chart(page, live_server, "operator-akhir")
    expect(page.locator("#chart-viewport")).to_have_attribute("data-own-nodes", str(last.pk))
    assert_whole_in_view(page, f"#n-{last.pk}")
    # the first division stays where it is, out of the frame: the view moved to this operator's unit
    first = page.locator(first_division(page)).bounding_box()
    frame = page.locator("#chart-viewport").bounding_box()
    assert first["x"] + first["width"] <= frame["x"] + 1


def test_the_zoom_is_remembered_per_tree(page: Page, live_server, demo):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_chart(page, live_server, "kadis")
    opened = scale(page)
    page.locator("#zoom-out").click()
    page.locator("#zoom-out").click()
    chosen = scale(page)
    assert chosen < opened
    page.reload()
    expect(page.locator("#cc-head")).to_be_visible()
    assert scale(page) == pytest.approx(chosen, abs=0.01)
    assert page.evaluate("Object.keys(localStorage)") == ["pokin.zoom.dpmd-lumajang/2018/0"]
    # "Muat di layar" is a choice too: the whole tree, again after a reload
    page.locator("#zoom-fit").click()
    fitted = scale(page)
    assert fitted < chosen
    page.reload()
    expect(page.locator("#cc-head")).to_be_visible()
    assert scale(page) == pytest.approx(fitted, abs=0.01)
    assert page.locator("#chart").bounding_box()["width"] <= page.locator("#chart-viewport").bounding_box()["width"]


def test_a_phone_opens_the_chart_readable_and_pans_and_pinches(phone: Page, live_server, demo, page_problems):
    page = open_chart(phone, live_server, "kadis")
    # fitted by the rule: the demo is far too wide for the phone, so the head's box, whole and readable
    assert scale(page) >= READABLE_SCALE - 0.01
    assert_whole_in_view(page, "#cc-head")
    toolbar = page.locator(".toolbar").bounding_box()
    assert toolbar["height"] < 0.4 * PHONE["height"], toolbar
    assert toolbar["y"] + toolbar["height"] <= PHONE["height"]
    page.screenshot(path=_artifact("chart-view-phone.png"))

    # one finger drags the chart
    frame = page.locator("#chart-viewport").bounding_box()
    x, y = frame["x"] + frame["width"] / 2, frame["y"] + 60
    before = scroll_position(page)
    gesture(page, [(x, y)], [(x - 160, y)])
    after = scroll_position(page)
    assert after[0] > before[0], (before, after)
    expect(page.locator("#node-panel")).to_be_hidden()

    # two fingers pinch it smaller
    opened = scale(page)
    gesture(page, [(x - 100, y), (x + 100, y)], [(x - 20, y), (x + 20, y)])
    assert scale(page) < opened * 0.7
    page.screenshot(path=_artifact("chart-view-phone-pinched.png"))

    # the folded controls open under "Lainnya"
    expect(page.locator("#print-page")).to_be_hidden()
    page.get_by_role("button", name="Lainnya").click()
    expect(page.locator("#print-page")).to_be_visible()
    expect(page.get_by_role("link", name="Tabel")).to_be_visible()
    page.screenshot(path=_artifact("chart-view-phone-lainnya.png"))

    # a tap (no drag) on a box still opens its panel
    page.locator("#cc-head .cc-title .cc-text").tap()
    expect(page.locator("#node-panel")).to_be_visible()


def _artifact(name: str):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


def test_an_edit_from_the_chart_keeps_the_zoom(page: Page, live_server, demo):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_chart(page, live_server, "operator")
    page.locator("#zoom-out").click()
    chosen = scale(page)
    own = Keanggotaan.objects.get(user__username="operator", dinas=demo.dinas).unit
    division = Node.objects.get(pohon=demo, unit=own, jenis="bidang")
    panel = page.locator("#node-panel")
    page.locator(f"#n-{division.pk} > .cc-title .cc-text").click()
    panel.get_by_role("button", name="Ubah", exact=True).click()
    panel.locator(".pe-form-panel form").get_by_label("Uraian").fill("KEPALA BIDANG UJI ZOOM")
    panel.locator(".pe-submit").click()
    expect(page.locator(f"#n-{division.pk}")).to_contain_text("KEPALA BIDANG UJI ZOOM")  # the new chart is in
    assert scale(page) == pytest.approx(chosen, abs=0.01)
    assert float(page.locator("#chart").evaluate("c => c.style.zoom")) == pytest.approx(chosen, abs=0.01)
