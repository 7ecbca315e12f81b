// Log levels on one scale, whatever library wrote them: the scale is pino's and bunyan's (10 trace,
// 20 debug, 30 info, 40 warn, 50 error, 60 fatal), with syslog's extra severities in between.

export const TRACE = 10;
export const DEBUG = 20;
export const INFO = 30;
export const NOTICE = 35;
export const WARN = 40;
export const ERROR = 50;
export const CRITICAL = 55;
export const ALERT = 57;
export const FATAL = 60;

/**
 * Level names as written by zap, logrus, slog, pino/bunyan, klog, log4j, java.util.logging, .NET,
 * Python, Google Cloud and syslog (lower-cased).
 */
const NAMES = new Map<string, number>([
  ["trace", TRACE],
  ["finest", TRACE],
  ["finer", TRACE],
  ["verbose", TRACE],
  ["debug", DEBUG],
  ["dbg", DEBUG],
  ["fine", DEBUG],
  ["config", DEBUG],
  ["info", INFO],
  ["inf", INFO],
  ["information", INFO],
  ["informational", INFO],
  ["default", INFO],
  ["notice", NOTICE],
  ["warn", WARN],
  ["warning", WARN],
  ["wrn", WARN],
  ["error", ERROR],
  ["err", ERROR],
  ["eror", ERROR],
  ["severe", ERROR],
  ["dpanic", CRITICAL],
  ["critical", CRITICAL],
  ["crit", CRITICAL],
  ["alert", ALERT],
  ["fatal", FATAL],
  ["ftl", FATAL],
  ["panic", FATAL],
  ["emerg", FATAL],
  ["emergency", FATAL],
]);

/** syslog severities 0 (emergency) to 7 (debug), as GELF's numeric "level" also uses them. */
const SYSLOG = [FATAL, ALERT, CRITICAL, ERROR, WARN, NOTICE, INFO, DEBUG];

/** A level name's place on the scale; slog's "WARN+2" and "INFO-4" move by a quarter step each. */
export function severityOfName(name: string): number | undefined {
  const lower = name.toLowerCase();
  const known = NAMES.get(lower);
  if (known !== undefined) return known;
  const m = /^([a-z]+)([+-]\d+)$/.exec(lower);
  if (!m) return undefined;
  const base = NAMES.get(m[1] as string);
  // slog's levels are 4 apart (DEBUG -4, INFO 0, WARN 4, ERROR 8); ours are 10 apart.
  return base === undefined ? undefined : base + Number(m[2]) * 2.5;
}

/** A numeric level: 0-7 is syslog's severity, 10 and above pino's and bunyan's scale. */
export function severityOfNumber(n: number): number | undefined {
  if (!Number.isFinite(n)) return undefined;
  if (Number.isInteger(n) && n >= 0 && n < SYSLOG.length) return SYSLOG[n];
  return n >= 10 ? n : undefined;
}

/** stern's bunyan name for a numeric level, or undefined for a number of its own. */
export function bunyanName(n: number): string | undefined {
  return n === 10
    ? "TRACE"
    : n === 20
      ? "DEBUG"
      : n === 30
        ? "INFO"
        : n === 40
          ? "WARN"
          : n === 50
            ? "ERROR"
            : n === 60
              ? "FATAL"
              : undefined;
}

/** --level's value: a name (any of the above) or a number (syslog 0-7, pino 10-60). */
export function parseLevelThreshold(text: string): number {
  const t = text.trim();
  const n = /^\d+$/.test(t) ? severityOfNumber(Number(t)) : severityOfName(t);
  if (n === undefined) {
    throw new Error(
      `use trace, debug, info, notice, warn, error, critical, fatal or a number (syslog 0-7, pino 10-60)`,
    );
  }
  return n;
}
