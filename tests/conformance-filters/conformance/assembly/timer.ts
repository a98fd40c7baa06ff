// Ticks every second and counts the ticks in a metric.
import { RootContext, Context, log, LogLevelValues } from "@solo-io/proxy-runtime";
import { set_tick_period_milliseconds } from "@solo-io/proxy-runtime/runtime";
import { defineMetric, incrementMetric } from "./raw";

export class TimerRoot extends RootContext {
  ticks: u32 = 0;
  counter: u32 = 0;

  onConfigure(configuration_size: u32): bool {
    this.counter = defineMetric(0, "conformance.ticks").number as u32;
    set_tick_period_milliseconds(1000);
    return true;
  }

  onTick(): void {
    this.ticks++;
    incrementMetric(this.counter, 1);
    log(LogLevelValues.info, "tick " + this.ticks.toString());
    if (this.ticks == 3) set_tick_period_milliseconds(0);
  }

  createContext(context_id: u32): Context {
    return new Context(context_id, this);
  }
}
