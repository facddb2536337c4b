// Timestamps as resource-agents' `hadate` writes them: `date "+$HA_DATEFMT"`, local time, with
// the default "%b %d %T " (ocf-directories). Only the conversions date(1) users put in
// HA_DATEFMT are known; any other `%x` is written as it is.

/** `HA_DATEFMT`'s default in resource-agents (`ocf-directories`): note the trailing space. */
export const DEFAULT_HA_DATEFMT = "%b %d %T ";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function pad(value: number, width = 2, fill = "0"): string {
  return String(value).padStart(width, fill);
}

function offset(date: Date, colon: boolean): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${colon ? ":" : ""}${pad(abs % 60)}`;
}

function dayOfYear(date: Date): number {
  const start = new Date(date.getFullYear(), 0, 1);
  return Math.floor((date.getTime() - start.getTime()) / 86_400_000) + 1;
}

/**
 * Formats `date` (local time) like `date "+FORMAT"` for the conversions `%a %b %h %d %e %F %D %T
 * %R %H %I %M %S %p %Y %y %m %j %s %N %z %:z %n %t %%`.
 */
export function formatHaDate(date: Date, format: string = DEFAULT_HA_DATEFMT): string {
  const h = date.getHours();
  const conversions: Record<string, () => string> = {
    a: () => DAYS[date.getDay()] as string,
    b: () => MONTHS[date.getMonth()] as string,
    h: () => MONTHS[date.getMonth()] as string,
    d: () => pad(date.getDate()),
    e: () => pad(date.getDate(), 2, " "),
    m: () => pad(date.getMonth() + 1),
    Y: () => String(date.getFullYear()),
    y: () => pad(date.getFullYear() % 100),
    H: () => pad(h),
    I: () => pad(h % 12 === 0 ? 12 : h % 12),
    p: () => (h < 12 ? "AM" : "PM"),
    M: () => pad(date.getMinutes()),
    S: () => pad(date.getSeconds()),
    T: () => `${pad(h)}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`,
    R: () => `${pad(h)}:${pad(date.getMinutes())}`,
    F: () => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`,
    D: () => `${pad(date.getMonth() + 1)}/${pad(date.getDate())}/${pad(date.getFullYear() % 100)}`,
    j: () => pad(dayOfYear(date), 3),
    s: () => String(Math.floor(date.getTime() / 1000)),
    N: () => pad(date.getMilliseconds(), 3) + "000000",
    z: () => offset(date, false),
    n: () => "\n",
    t: () => "\t",
    "%": () => "%",
  };
  return format.replace(/%(:z|.)/gs, (whole, key: string) => {
    if (key === ":z") return offset(date, true);
    const convert = conversions[key];
    return convert ? convert() : whole;
  });
}
