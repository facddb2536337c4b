import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_HA_DATEFMT, formatHaDate } from "./ha-date.js";

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

// date(1) is the reference: resource-agents' hadate runs `date "+$HA_DATEFMT"`.
function gnuDate(seconds: number, format: string, tz: string): string {
  return execFileSync("date", ["-d", `@${seconds}`, `+${format}`], {
    encoding: "utf8",
    env: { TZ: tz, LC_ALL: "C" },
  }).replace(/\n$/, "");
}

describe("formatHaDate", () => {
  const formats = [
    DEFAULT_HA_DATEFMT,
    "%Y/%m/%d_%T",
    "%F %T%z",
    "%a %e %b %y %I:%M:%S %p %j %:z",
    "%D %R %s %% %H",
    "%Y-%m-%dT%H:%M:%S",
  ];
  const instants = [0, 1_700_000_000, 1_717_171_717, 1_735_689_599, 1_741_478_400];
  for (const tz of ["UTC", "America/Sao_Paulo", "Asia/Kolkata", "Europe/Berlin"]) {
    it(`matches date(1) in ${tz}`, () => {
      process.env.TZ = tz;
      for (const seconds of instants) {
        for (const format of formats) {
          expect(formatHaDate(new Date(seconds * 1000), format), `${format} @${seconds}`).toBe(
            gnuDate(seconds, format, tz),
          );
        }
      }
    });
  }

  it("keeps unknown conversions as written and pads milliseconds for %N", () => {
    process.env.TZ = "UTC";
    expect(formatHaDate(new Date(1_500), "%Q|%N")).toBe("%Q|500000000");
  });
});
