/**
 * The engine's one way out: sends and modifies messages through the `ServiceBackend` (never throwing),
 * keeps each session's transcript for the console, and localizes flow texts for a session.
 */
import type { FlowConfig, Localized } from './flow';
import { localize } from './flow';
import type { SentRef, ServiceBackend, WireElem } from './port';
import type { Role } from './protocol';
import { cloudData, textElem } from './protocol';
import type { Session } from './session';
import { normalize } from './session';
import type { EngineSettings, TranscriptEntry } from './types';

const TRANSCRIPT_LIMIT = 500;

export class Outbox {
  constructor(
    private readonly backend: ServiceBackend,
    private readonly settings: EngineSettings,
    /** Called after a modification (a visible change the console shows). */
    private readonly changed: () => void,
  ) {}

  get flow(): FlowConfig {
    return this.settings.flow;
  }

  localize(value: Localized, session: Session): string {
    return localize(value, session.language);
  }

  matches(keywords: string[], text: string): boolean {
    const typed = normalize(text);
    return keywords.some((keyword) => normalize(keyword) === typed);
  }

  sendText(session: Session, text: string, role: Role, messageType?: string): void {
    this.send(session, [textElem(text)], { role, messageType, note: text });
  }

  /**
   * Sends through the backend. `role` adds cloudCustomData (robot/seat) unless `cloud` is given; messages
   * without a role are protocol signals (23, 26, 19…) and carry none. Returns undefined if the backend failed.
   */
  send(
    session: Session,
    elems: WireElem[],
    options: {
      role?: Role;
      messageType?: string;
      cloud?: string;
      note?: string;
      onlineOnly?: boolean;
    } = {},
  ): SentRef | undefined {
    const cloud =
      options.cloud ?? (options.role ? cloudData(options.role, options.messageType) : undefined);
    try {
      const ref = this.backend.send({
        serviceAccount: session.serviceAccount,
        userID: session.userID,
        elems,
        ...(cloud !== undefined ? { cloudCustomData: cloud } : {}),
        ...(options.onlineOnly ? { onlineOnly: true } : {}),
      });
      if (options.note !== undefined) this.note(session, options.role ?? 'system', options.note);
      else session.updatedAt = this.settings.scheduler.now();
      return ref;
    } catch (cause) {
      this.settings.logger.warn(`tccc: send to ${session.userID} failed: ${describeError(cause)}`);
      return undefined;
    }
  }

  modify(ref: SentRef, elems: WireElem[], cloud?: string): boolean {
    try {
      const done = this.backend.modify(ref, elems, cloud);
      if (!done)
        this.settings.logger.info(
          `tccc: modify of ${ref.userID}#${ref.seq} refused by the backend`,
        );
      this.changed();
      return done;
    } catch (cause) {
      this.settings.logger.warn(`tccc: modify for ${ref.userID} failed: ${describeError(cause)}`);
      return false;
    }
  }

  note(session: Session, from: TranscriptEntry['from'], text: string, image?: string): void {
    const time = this.settings.scheduler.now();
    session.messageCount += 1;
    const entry: TranscriptEntry = { seq: session.messageCount, from, text, time };
    if (image) entry.image = image;
    session.transcript.push(entry);
    if (session.transcript.length > TRANSCRIPT_LIMIT)
      session.transcript.splice(0, session.transcript.length - TRANSCRIPT_LIMIT);
    session.updatedAt = time;
  }

  isOnline(userID: string): boolean {
    try {
      return this.backend.isUserOnline(userID);
    } catch {
      return false;
    }
  }
}

export function describeError(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
