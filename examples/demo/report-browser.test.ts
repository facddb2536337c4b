// The report in a real browser: Debian's Chromium, headless, driven by puppeteer-core (which
// never downloads a browser). Each label's rendered box must stay inside its SVG and touch no
// other label. The page is set from a string; any request that is not data:/about: fails the test.
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import puppeteer, { type Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportHtml } from "./report.js";
import { ipaddr2Run, ocivipRun } from "./report-fixtures.js";

const chromium = "/usr/bin/chromium";
const outDir = fileURLToPath(new URL("../../test-results/", import.meta.url));
const versions = {
  node: process.version,
  pacemaker: "2.1.5",
  corosync: "3.1.7",
  resourceAgents: "1:4.12.0-2",
  kernel: "6.1.0",
  ocfkit: { "@ocfkit/ocivip": "0.0.0" },
};

let browser: Browser | undefined;
let pid: number | undefined;

function killBrowser(): void {
  if (pid === undefined) return;
  // puppeteer starts Chromium detached: its PID leads a process group holding its children.
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // already gone
    }
  }
  pid = undefined;
}

beforeAll(async () => {
  await mkdir(outDir, { recursive: true });
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    timeout: 20_000,
  });
  pid = browser.process()?.pid;
}, 25_000);

afterAll(async () => {
  await Promise.race([
    browser?.close().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, 3000)),
  ]);
  killBrowser();
});

// The DOM's SVG types, as much as the page code uses (this package compiles without the DOM lib).
interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface SvgRoot {
  viewBox: { baseVal: Rect };
}
interface SvgGraphic {
  getBBox(): Rect;
}

interface Box {
  text: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

async function render(html: string, screenshot: string) {
  if (!browser) throw new Error("Chromium did not start");
  const page = await browser.newPage();
  const remote: string[] = [];
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith("data:") || url.startsWith("about:")) void request.continue();
    else {
      remote.push(url);
      void request.abort();
    }
  });
  await page.setViewport({ width: 1100, height: 900 });
  await page.setContent(html, { waitUntil: "load" });
  await page.screenshot({ path: `${outDir}${screenshot}`, fullPage: true });
  const svgs = await page.$$eval("svg", (elements) =>
    elements.map((svg) => {
      const view = (svg as unknown as SvgRoot).viewBox.baseVal;
      const outer = svg.getBoundingClientRect();
      const texts = [...svg.querySelectorAll("text")].map((t) => {
        const r = t.getBoundingClientRect();
        const b = (t as unknown as SvgGraphic).getBBox();
        return {
          cls: t.getAttribute("class") ?? "",
          client: {
            text: t.textContent ?? "",
            left: r.left,
            top: r.top,
            right: r.right,
            bottom: r.bottom,
          },
          user: {
            text: t.textContent ?? "",
            left: b.x,
            top: b.y,
            right: b.x + b.width,
            bottom: b.y + b.height,
          },
        };
      });
      return {
        view: {
          left: view.x,
          top: view.y,
          right: view.x + view.width,
          bottom: view.y + view.height,
        },
        outer: {
          text: "svg",
          left: outer.left,
          top: outer.top,
          right: outer.right,
          bottom: outer.bottom,
        },
        texts,
      };
    }),
  );
  await page.close();
  return { svgs, remote };
}

const inside = (a: Box, b: Omit<Box, "text">) =>
  a.left >= b.left - 0.5 &&
  a.right <= b.right + 0.5 &&
  a.top >= b.top - 0.5 &&
  a.bottom <= b.bottom + 0.5;
const intersect = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

function checkLayout(svgs: Awaited<ReturnType<typeof render>>["svgs"]) {
  for (const svg of svgs) {
    expect(svg.texts.filter((t) => t.cls === "event-label").length).toBeGreaterThan(8);
    for (const t of svg.texts) {
      expect(inside(t.user, svg.view), `${t.user.text} inside the viewBox`).toBe(true);
      expect(inside(t.client, svg.outer), `${t.client.text} inside the SVG on screen`).toBe(true);
    }
    const boxes = svg.texts.map((t) => t.client);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        expect(intersect(a, b), `"${a.text}" and "${b.text}" overlap`).toBe(false);
      }
    }
  }
}

describe("the report in headless Chromium", () => {
  it("lays out a crowded Pacemaker lane and labels at the right edge without overlap", async () => {
    const run = ocivipRun();
    const { svgs, remote } = await render(
      reportHtml({ runs: [run], vip: "192.0.2.100", versions }),
      "report-single.png",
    );
    expect(remote).toEqual([]);
    expect(svgs).toHaveLength(1);
    checkLayout(svgs);
    // The hard case really is hard: Pacemaker labels stacked in rows, a label left of its marker.
    const labels = svgs[0]!.texts.filter((t) => t.cls === "event-label");
    const pacemakerRows = new Set(
      labels
        .filter((t) => /Pacemaker|scheduler|start of|stop of/.test(t.user.text))
        .map((t) => t.user.top),
    );
    expect(pacemakerRows.size).toBeGreaterThanOrEqual(4);
    const lastStart = labels.find((t) => t.user.text.includes("start of VIP on node2: ok"))!;
    expect(lastStart.user.right).toBeLessThanOrEqual(svgs[0]!.view.right);
  }, 20_000);

  it("renders a compare report (IPaddr2 and ocivip) with both timelines clean", async () => {
    const { svgs, remote } = await render(
      reportHtml({
        runs: [ipaddr2Run(), ocivipRun()],
        vip: "192.0.2.100",
        versions,
        title: "IPaddr2 vs ocivip",
      }),
      "report-compare.png",
    );
    expect(remote).toEqual([]);
    expect(svgs).toHaveLength(2);
    checkLayout(svgs);
  }, 20_000);
});
