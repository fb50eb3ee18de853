import type { Logger } from '../ports/logger';
import { createClassifier } from '../tccc/index';
import type { ClassifiedMessage } from '../tccc/index';
import { MessageList } from './message-list';

/**
 * A conversation's message list with each message's protocol classification, parsed once per
 * version: only a new version (or a revoke, an edited payload) can change what it says.
 */
export function createClassifiedList(logger: Logger): MessageList<ClassifiedMessage> {
  const classify = createClassifier({ logger });
  return new MessageList<ClassifiedMessage>((message, previous) =>
    previous &&
    previous.message.version === message.version &&
    previous.message.isRevoked === message.isRevoked &&
    previous.message.payload.data === message.payload.data &&
    previous.message.payload.text === message.payload.text &&
    previous.message.cloudCustomData === message.cloudCustomData &&
    previous.message.type === message.type
      ? previous.derived
      : classify(message),
  );
}
