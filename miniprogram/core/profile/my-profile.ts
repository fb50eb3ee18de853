/**
 * The user's own avatar and nickname, as they chose them with WeChat's fill-in
 * (`open-type="chooseAvatar"`, `<input type="nickname">`). Without a choice the chat draws a
 * neutral silhouette: nothing is made up for them.
 *
 * The choice is the user's, so it is kept on the device first (per user: another WeChat
 * account on the same phone has its own) and then shared with the agents through
 * `updateMyProfile`. Only the nickname is shared while the avatar is a local file: an agent
 * cannot open the phone's file path, and the Chat profile takes a URL of at most 500 bytes.
 * A profile the server did not take yet is marked unshared and sent again at the next login.
 */
import type { ChatTransport } from '../ports/chat-transport';
import type { FileKeeper } from '../ports/files';
import type { Logger } from '../ports/logger';
import type { KeyValueStorage } from '../ports/storage';
import { t } from '../i18n/index';
import { appError, err, ok } from '../result';
import type { AppError, Result } from '../result';
import { createStore } from '../store/store';
import type { ReadableStore } from '../store/store';

/** WeChat nicknames are at most 20 characters; the same limit applies here. */
export const NICK_MAX_LENGTH = 20;

export interface MyProfile {
  nick: string;
  /** A kept local file or an http(s) URL; '' for the neutral default. */
  avatar: string;
}

export interface ProfileState extends MyProfile {
  /** Whose profile this is ('' before login). */
  userID: string;
  saving: boolean;
}

/** What the sheet submits: the nickname, and a newly chosen avatar's temporary path if any. */
export interface ProfileInput {
  nick: string;
  avatarTempPath?: string;
}

export interface ProfileStore extends ReadableStore<ProfileState> {
  /** Shows the kept profile of this user ('' after logout). */
  useAccount(userID: string): void;
  /** Sends the profile again if the last attempt did not reach the server (call once Chat is ready). */
  shareIfPending(): void;
  /** Validates, keeps and shares the user's choice. Fails only when nothing was kept. */
  save(input: ProfileInput): Promise<Result<MyProfile>>;
}

export interface ProfileDeps {
  storage: KeyValueStorage;
  files: FileKeeper;
  transport: Pick<ChatTransport, 'updateMyProfile'>;
  logger: Logger;
}

interface Kept extends MyProfile {
  shared: boolean;
}

const EMPTY: ProfileState = { userID: '', nick: '', avatar: '', saving: false };
// Control and format characters (zero-width, bidi overrides) have no place in a name.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

const storageKey = (userID: string): string => `cs.profile.${userID}`;

/** Trims, drops invisible characters and folds runs of spaces; refuses what is too long. */
export function normaliseNick(raw: string): Result<string> {
  const nick = raw.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  if (Array.from(nick).length > NICK_MAX_LENGTH) {
    return err(appError('text-too-long', `nickname over ${NICK_MAX_LENGTH} characters`));
  }
  return ok(nick);
}

/** An avatar the Chat profile can carry to an agent: a short http(s) URL. */
export function isShareableAvatar(avatar: string): boolean {
  return /^https?:\/\/\S+$/i.test(avatar) && avatar.length <= 500;
}

/** What the sheet says when a save failed. */
export function profileErrorText(error: AppError): string {
  return error.code === 'text-too-long'
    ? t('components.profile.tooLong', { max: NICK_MAX_LENGTH })
    : t('components.profile.failed');
}

function readKept(storage: KeyValueStorage, userID: string): Kept | null {
  const raw = storage.get(storageKey(userID));
  if (typeof raw !== 'object' || raw === null) return null;
  const { nick, avatar, shared } = raw as Record<string, unknown>;
  if (typeof nick !== 'string' || typeof avatar !== 'string') return null;
  return { nick, avatar, shared: shared === true };
}

export function createProfileStore(deps: ProfileDeps): ProfileStore {
  const { storage, files, transport, logger } = deps;
  const store = createStore<ProfileState>(EMPTY, (e) => logger.error('profile listener failed', e));

  const share = async (userID: string, kept: Kept): Promise<void> => {
    const res = await transport.updateMyProfile({
      nick: kept.nick,
      ...(isShareableAvatar(kept.avatar) ? { avatar: kept.avatar } : {}),
    });
    if (!res.ok) {
      logger.warn('sharing the profile failed; it is sent again at the next login', res.error);
      return;
    }
    // The user may have changed it again meanwhile: mark only what was sent.
    const now = readKept(storage, userID);
    if (now && now.nick === kept.nick && now.avatar === kept.avatar) {
      storage.set(storageKey(userID), { ...now, shared: true });
    }
  };

  return {
    getState: store.getState,
    subscribe: store.subscribe,

    useAccount(userID) {
      const kept = userID ? readKept(storage, userID) : null;
      store.update(() => ({
        userID,
        nick: kept?.nick ?? '',
        avatar: kept?.avatar ?? '',
        saving: false,
      }));
    },

    shareIfPending() {
      const { userID } = store.getState();
      const kept = userID ? readKept(storage, userID) : null;
      if (kept && !kept.shared) void share(userID, kept);
    },

    async save(input) {
      const { userID, avatar: previousAvatar } = store.getState();
      if (!userID) return err(appError('not-logged-in', 'no user to save a profile for'));
      const nick = normaliseNick(input.nick);
      if (!nick.ok) return nick;
      store.update((s) => ({ ...s, saving: true }));
      let avatar = previousAvatar;
      if (input.avatarTempPath) {
        const keptFile = await files.keep(input.avatarTempPath);
        if (!keptFile.ok) {
          store.update((s) => ({ ...s, saving: false }));
          logger.warn('keeping the chosen avatar failed', keptFile.error);
          return err<AppError>(keptFile.error);
        }
        avatar = keptFile.value;
      }
      const kept: Kept = { nick: nick.value, avatar, shared: false };
      const written = storage.set(storageKey(userID), kept);
      if (!written.ok) logger.warn('storing the profile failed; it lasts until the app closes');
      if (avatar !== previousAvatar && previousAvatar && !isShareableAvatar(previousAvatar)) {
        files.discard(previousAvatar);
      }
      // Another login may have happened while the file was copied: only show it to its owner.
      if (store.getState().userID === userID) {
        store.update((s) => ({ ...s, nick: kept.nick, avatar: kept.avatar, saving: false }));
      }
      void share(userID, kept);
      return ok({ nick: kept.nick, avatar: kept.avatar });
    },
  };
}
