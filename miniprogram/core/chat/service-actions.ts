import { protocolLanguage } from '../i18n/preference';
import { appError } from '../result';
import {
  buildChoiceReply,
  buildEndSession,
  buildFormInputReply,
  buildProductCard,
  buildRatingRequest,
  buildRatingSubmission,
  buildTaskFormSubmission,
  isRatingExpired,
  RatingSubmissionError,
} from '../tccc/index';
import type { Result } from '../result';
import type { ProductCardInput } from '../tccc/index';
import type { ChatSlice } from './chat-slice';
import { TRANSIENT } from './outbox';
import { memorySentProducts } from './product-offer';
import { markRated } from './service-session';
import type { SessionPhase } from './service-session';
import type { ChatStore, ChatStoreDeps, TaskFieldProblem } from './chat-store';

/** The service actions of a chat store: menus, forms, ratings, end/transfer, product card. */
export type ServiceActions = Omit<ChatStore, keyof ChatSlice['actions']>;

/** The service actions, over the chat slice's state and sending. */
export function createServiceActions(chat: ChatSlice, deps: ChatStoreDeps): ServiceActions {
  const { store, set, fail, succeed, entryOf, guard, sendProtocol, sendThroughOutbox, isService } =
    chat;
  const { clock } = deps;
  const sentProducts = deps.sentProducts ?? memorySentProducts();
  const sendProductCard = (card: ProductCardInput): Promise<Result<void>> => {
    if (!isService)
      return Promise.resolve(fail(appError('not-allowed', 'not a service conversation')));
    if (!card.header.trim())
      return Promise.resolve(fail(appError('invalid-input', 'card without header')));
    return sendThroughOutbox({ kind: 'custom', data: buildProductCard(card) });
  };
  /** The user ends the session (src 27): an agent session, or the wait in the queue. */
  const sendEndSession = (phase: SessionPhase, refusal: string): Promise<Result<void>> =>
    guard('end-session', async () => {
      if (!isService || store.getState().session.phase !== phase) {
        return fail(appError('not-allowed', refusal));
      }
      const language = protocolLanguage(deps.language());
      const res = await sendProtocol(buildEndSession({ language }), { onlineUserOnly: true });
      return res.ok ? succeed() : fail(res.error);
    });
  return {
    chooseItem(messageId, item) {
      return guard(`choose:${messageId}`, async () => {
        const entry = entryOf(messageId);
        const c = entry?.derived;
        if (
          !c ||
          (c.kind !== 'branch' &&
            c.kind !== 'form' &&
            c.kind !== 'robot-menu' &&
            c.kind !== 'task-branch')
        ) {
          return fail(appError('not-found', `no menu ${messageId}`));
        }
        if (c.kind === 'task-branch' && store.getState().choices[messageId] !== undefined) {
          return fail(appError('not-allowed', 'this branch was already answered'));
        }
        const reply = buildChoiceReply(c, item);
        if (!reply.ok)
          return fail(
            appError(
              reply.error.problem === 'already-selected' ? 'not-allowed' : 'invalid-input',
              reply.error.message,
            ),
          );
        set({ choices: { ...store.getState().choices, [messageId]: reply.value.text } });
        return sendThroughOutbox(
          { kind: 'text', text: reply.value.text },
          reply.value.cloudCustomData ?? '',
        );
      });
    },

    nextMenuPage(messageId) {
      const c = entryOf(messageId)?.derived;
      if (!c || c.kind !== 'robot-menu') return;
      const size = deps.menuPageSize ?? 5;
      const pages = Math.max(1, Math.ceil(c.items.length / size));
      const current = store.getState().menuPages[messageId] ?? 0;
      set({ menuPages: { ...store.getState().menuPages, [messageId]: (current + 1) % pages } });
    },

    submitRating(messageId, optionId) {
      return guard(`rating:${messageId}`, async () => {
        const entry = entryOf(messageId);
        const c = entry?.derived;
        if (!entry || !c || c.kind !== 'rating')
          return fail(appError('not-found', `no rating ${messageId}`));
        const local = store.getState().ratings[messageId];
        if (c.selectedId !== undefined || local)
          return fail(appError('rating-duplicate', 'already rated'));
        const nowSec = Math.floor(clock.now() / 1000);
        if (isRatingExpired(c, nowSec)) return fail(appError('rating-expired', 'rating expired'));
        let data: string;
        try {
          data = buildRatingSubmission(c, optionId, nowSec);
        } catch (e) {
          if (e instanceof RatingSubmissionError) {
            return fail(
              appError(e.code === 'expired' ? 'rating-expired' : 'invalid-input', e.message),
            );
          }
          throw e;
        }
        const before = store.getState().session;
        set({
          ratings: {
            ...store.getState().ratings,
            [messageId]: { selectedId: optionId, submitting: true },
          },
          session: markRated(before),
        });
        const res = await sendProtocol(data, { onlineUserOnly: true });
        if (!res.ok) {
          const ratings = { ...store.getState().ratings };
          delete ratings[messageId];
          set({
            ratings,
            session: { ...store.getState().session, phase: before.phase, rated: before.rated },
          });
          return fail(res.error);
        }
        set({
          ratings: {
            ...store.getState().ratings,
            [messageId]: { selectedId: optionId, submitting: false },
          },
        });
        return succeed();
      });
    },

    setTaskFormValue(messageId, name, value) {
      const forms = store.getState().forms;
      const form = forms[messageId] ?? {
        submitting: false,
        submitted: false,
        values: {},
        errors: {},
      };
      const errors = { ...form.errors };
      delete errors[name];
      set({
        forms: {
          ...forms,
          [messageId]: { ...form, values: { ...form.values, [name]: value }, errors },
        },
      });
    },

    submitTaskForm(messageId, values) {
      return guard(`form:${messageId}`, async () => {
        const c = entryOf(messageId)?.derived;
        if (!c || c.kind !== 'task-form')
          return fail(appError('not-found', `no task form ${messageId}`));
        const forms = store.getState().forms;
        const form = forms[messageId] ?? {
          submitting: false,
          submitted: false,
          values: {},
          errors: {},
        };
        if (form.submitted || !c.editable)
          return fail(appError('not-allowed', 'form already submitted'));
        const merged = { ...form.values, ...(values ?? {}) };
        const built = buildTaskFormSubmission(c, merged);
        if (!built.ok) {
          const errors: Record<string, TaskFieldProblem> = {};
          for (const problem of built.error.problems) {
            if ('field' in problem) errors[problem.field] = problem.reason;
          }
          set({
            forms: { ...store.getState().forms, [messageId]: { ...form, values: merged, errors } },
          });
          return fail(appError('invalid-input', built.error.message, built.error.problems));
        }
        set({
          forms: {
            ...store.getState().forms,
            [messageId]: { ...form, values: merged, errors: {}, submitting: true },
          },
        });
        const res = await sendProtocol(built.value, {});
        const latest = store.getState().forms[messageId] ?? form;
        set({
          forms: {
            ...store.getState().forms,
            [messageId]: { ...latest, submitting: false, submitted: res.ok },
          },
        });
        return res.ok ? succeed() : fail(res.error);
      });
    },

    submitFormInput(messageId, text) {
      return guard(`form:${messageId}`, async () => {
        const c = entryOf(messageId)?.derived;
        if (!c || c.kind !== 'form') return fail(appError('not-found', `no form ${messageId}`));
        const form = store.getState().forms[messageId];
        if (form?.submitted) return fail(appError('not-allowed', 'form already answered'));
        const reply = buildFormInputReply(c, text);
        if (!reply.ok) return fail(appError('invalid-input', reply.error.message));
        const base = form ?? { submitting: false, submitted: false, values: {}, errors: {} };
        set({ forms: { ...store.getState().forms, [messageId]: { ...base, submitted: true } } });
        return sendThroughOutbox({ kind: 'text', text: reply.value.text });
      });
    },

    requestRating() {
      return guard('request-rating', async () => {
        if (!isService) return fail(appError('not-allowed', 'not a service conversation'));
        if (!store.getState().session.canUserRate)
          return fail(appError('not-allowed', 'rating requests are off'));
        const res = await sendProtocol(buildRatingRequest(), { onlineUserOnly: true });
        return res.ok ? succeed() : fail(res.error);
      });
    },

    endSession() {
      return sendEndSession('agent', 'no human session to end');
    },

    leaveQueue() {
      return sendEndSession('queueing', 'not in the queue');
    },

    transferToHuman() {
      if (!isService)
        return Promise.resolve(fail(appError('not-allowed', 'not a service conversation')));
      return sendThroughOutbox({ kind: 'text', text: deps.transferText });
    },

    sendProductCard,

    offerProduct(card, key) {
      if (!isService || sentProducts.has(key)) return;
      set({ productOffer: { key, card } });
    },

    sendProductOffer() {
      return guard('product-offer', async () => {
        const offer = store.getState().productOffer;
        if (!offer) return fail(appError('not-found', 'no product offered'));
        const res = await sendProductCard(offer.card);
        // Queued for the network counts as sent: the outbox delivers it.
        if (res.ok || TRANSIENT.has(res.error.code)) {
          sentProducts.add(offer.key);
          if (store.getState().productOffer === offer) set({ productOffer: null });
        }
        return res;
      });
    },

    dismissProductOffer() {
      if (store.getState().productOffer) set({ productOffer: null });
    },
  };
}
