// --tui: the engine's output goes into the interactive view instead of stdout. This wires them: a
// Presenter whose formatters put each line into the view's model with its source and time, whose
// notices become the view's marked lines and the sources' states, and a sink for --events lines.
// The engine streams as it always does; the view filters, searches and shows.
import { Writable } from "node:stream";
import type { Clock } from "../engine/clock.ts";
import { after } from "../engine/clock.ts";
import type { LineFormatter, Presenter } from "../engine/output.ts";
import { Sink } from "../engine/sink.ts";
import { statusesOf } from "../engine/targets.ts";
import { describeEnd, describeWaiting, endFailed, waitingFailed } from "../format/ending-text.ts";
import { formatEvent } from "../format/event.ts";
import { type NoticeDetail, noticeLine } from "../format/notice.ts";
import type { Zone } from "../format/timestamp.ts";
import type { Target } from "../shared/target.ts";
import { App } from "../tui/app.ts";
import { openTerminal, Terminal } from "../tui/terminal.ts";
import { ViewModel, type ViewModelOptions } from "../view/model.ts";
import { NO_SOURCE, type Source } from "../view/sources.ts";
import { tempSpillFile } from "../view/spill.ts";
import { LineKind } from "../view/store.ts";

export interface TuiOptions {
  colored: boolean;
  zone: Zone;
  timestamps: "none" | "short" | "full";
  initial: ViewModelOptions["initial"];
  timeOrder: boolean;
  showNamespace: boolean;
  clock: Clock;
  /** The user quit. */
  onQuit: () => void;
}

export interface Tui {
  /** The presenter of one cluster's streams (its context shown when several are tailed). */
  presenter(context: string): Presenter;
  /** Where --events lines go. */
  sink: Sink;
  /** Lines from stdin (--stdin --tui). */
  stdinFormatter(): LineFormatter;
  /** Resolves when the user quits. */
  quit: Promise<void>;
  /** Gives the terminal back. */
  close(): void;
}

export function startTui(o: TuiOptions): Tui {
  const model = new ViewModel({
    store: { spill: tempSpillFile },
    initial: o.initial,
    order: o.timeOrder ? "time" : "arrival",
  });
  const term = new Terminal(openTerminal());
  let quitted!: () => void;
  const quit = new Promise<void>((resolve) => {
    quitted = resolve;
  });
  const app = new App({
    model,
    terminal: term,
    scheduler: { now: () => o.clock.now(), after: (ms, fn) => after(o.clock, ms, fn) },
    colored: o.colored,
    zone: o.zone,
    timestamps: o.timestamps,
    onQuit: () => {
      quitted();
      o.onQuit();
    },
  });
  const now = () => Date.now();
  const note = (source: number, text: string) => {
    const b = Buffer.from(text.replace(/\n+$/, ""));
    model.append(source, now(), LineKind.Lifecycle, b, 0, b.length);
    app.changed();
  };
  // --events lines arrive through a sink, as text lines.
  const events = new Writable({
    write(chunk: Buffer, _enc, done) {
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        model.append(NO_SOURCE, now(), LineKind.Event, chunk, start, nl);
        start = nl + 1;
      }
      app.changed();
      done();
    },
  });
  const sink = new Sink(events, { clock: o.clock });
  const presenter = (context: string): Presenter => {
    const sourceOf = (t: Target): Source => {
      const s = model.sources.ensure(context, t.namespace, t.podName, t.container);
      s.node = t.pod.spec?.nodeName ?? s.node;
      return s;
    };
    const info = (t: Target) => ({
      context,
      contextColor: "",
      namespace: t.namespace,
      podName: t.podName,
      containerName: t.container,
      colors: { pod: "", container: "" },
    });
    const notice = (mark: "+" | "-" | "!", t: Target, detail: NoticeDetail) =>
      note(sourceOf(t).id, noticeLine(mark, info(t), o.showNamespace, false, detail));
    return {
      formatterFor(target) {
        const id = sourceOf(target).id;
        return {
          append(_out, time, buf, start, end) {
            model.append(id, time?.ms ?? Number.NaN, LineKind.Log, buf, start, end);
            app.changed();
          },
        };
      },
      streamStarted(t) {
        const s = sourceOf(t);
        s.state = "following";
        s.detail = "";
        s.failed = false;
        s.restarts = statusesOf(t.pod).find(([cs]) => cs.name === t.container)?.[0].restartCount ?? 0;
        notice("+", t, {
          kind: "start",
          restartCount: s.restarts,
          ...(t.previous ? { previous: true } : {}),
        });
      },
      streamEnded(t, _why, end) {
        const s = sourceOf(t);
        s.state = "ended";
        s.detail = end ? describeEnd(end) : "";
        s.failed = end !== undefined && endFailed(end);
        notice("-", t, { kind: "stop", end, ...(t.previous ? { previous: true } : {}) });
      },
      waiting(t, w) {
        const s = sourceOf(t);
        s.state = "waiting";
        s.detail = describeWaiting(w);
        s.failed = waitingFailed(w);
        notice("!", t, { kind: "waiting", waiting: w });
      },
      streamsQueued: (waiting, limit) =>
        note(
          NO_SOURCE,
          `${waiting} container(s) wait for a free log stream (--max-log-requests=${limit}); they start as others end`,
        ),
      serverText: (t, text) => notice("!", t, { kind: "server", text }),
      linesLost: (t, after, before) => notice("!", t, { kind: "lost", after, before }),
      formatEvent: (e) =>
        formatEvent(e, {
          output: "default",
          colored: false,
          showNamespace: o.showNamespace,
          ...(context ? { context: { name: context, color: "" } } : {}),
        }),
      error: (message) => note(NO_SOURCE, message),
      debug: () => {},
    };
  };
  app.start();
  return {
    presenter,
    sink,
    stdinFormatter() {
      const id = model.sources.ensure("", "", "stdin", "").id;
      return {
        append(_out, _time, buf, start, end) {
          model.append(id, now(), LineKind.Log, buf, start, end);
          app.changed();
        },
      };
    },
    quit,
    close() {
      app.stop();
      model.store.close();
    },
  };
}
