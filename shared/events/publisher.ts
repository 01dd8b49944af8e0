import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { config } from '../config/env';
import { log } from '../http/logger';

/**
 * Domain events (referral transitions) and where they go: EventBridge in AWS (the bus named by
 * EVENT_BUS_NAME), an in-process bus on this machine (no EVENT_BUS_NAME), which the console can
 * follow later (e.g. over server-sent events from the local server).
 *
 * Events never carry youth details: buses fan out to rules and targets nobody audits per read.
 */
export interface DomainEvent {
  /** EventBridge `Source`. */
  source: string;
  /** EventBridge `DetailType`, e.g. `referral.accepted`. */
  type: string;
  at: string;
  detail: Record<string, unknown>;
}

export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}

/** PutEvents takes at most 10 entries per call. */
const PUT_EVENTS_BATCH = 10;

/** Publishes to one EventBridge bus; a partially failed batch is an error naming the failures. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += PUT_EVENTS_BATCH) {
      const batch = events.slice(i, i + PUT_EVENTS_BATCH);
      const out = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((e) => ({
            EventBusName: this.busName,
            Source: e.source,
            DetailType: e.type,
            Time: new Date(e.at),
            Detail: JSON.stringify(e.detail),
          })),
        }),
      );
      if ((out.FailedEntryCount ?? 0) > 0) {
        const codes = (out.Entries ?? []).flatMap((entry) => (entry.ErrorCode ? [entry.ErrorCode] : []));
        throw new Error(`EventBridge refused ${out.FailedEntryCount} of ${batch.length} events: ${codes.join(', ')}`);
      }
    }
  }
}

export type EventListener = (event: DomainEvent) => void;

/**
 * The local stand-in for EventBridge: listeners in this process, plus the most recent events so a
 * client that connects later (or a test) can catch up. A failing listener never fails a publish.
 */
export class InProcessBus implements EventPublisher {
  private readonly listeners = new Set<EventListener>();
  private readonly buffer: DomainEvent[] = [];

  constructor(private readonly keep = 200) {}

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last events published, oldest first. */
  recent(): DomainEvent[] {
    return [...this.buffer];
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      this.buffer.push(event);
      if (this.buffer.length > this.keep) this.buffer.shift();
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          log('warn', 'event listener failed', { type: event.type, error: String(error) });
        }
      }
    }
  }
}

/** The bus the local server and tests publish to. */
export const localEventBus = new InProcessBus();

let publisher: EventPublisher | undefined;
let eventBridge: EventBridgeClient | undefined;

/** This container's publisher: EventBridge when EVENT_BUS_NAME is set, else the in-process bus. */
export function eventPublisher(): EventPublisher {
  if (!publisher) {
    const { EVENT_BUS_NAME, AWS_REGION } = config();
    if (EVENT_BUS_NAME) {
      eventBridge ??= new EventBridgeClient({ region: AWS_REGION });
      publisher = new EventBridgePublisher(eventBridge, EVENT_BUS_NAME);
    } else {
      publisher = localEventBus;
    }
  }
  return publisher;
}

/** Tests inject a publisher (or an EventBridge client through EventBridgePublisher); undefined resets. */
export function setEventPublisher(next: EventPublisher | undefined): void {
  publisher = next;
}

/**
 * Publishes after the change has committed. A failure is logged, never turned into an error for
 * the caller: the change happened, and the referral itself is the record of truth that the console
 * reads; a notification is a courtesy on top (see docs/referrals.md for the outbox this would need
 * to be guaranteed).
 */
export async function publishAfterCommit(events: readonly DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    await eventPublisher().publish(events);
  } catch (error) {
    log('error', 'event publish failed', { types: events.map((e) => e.type), error: error instanceof Error ? error.message : String(error) });
  }
}
