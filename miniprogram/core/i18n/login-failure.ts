/**
 * What the login page says when logging in failed. A transport failure (`network`, `timeout`) only
 * blames the user's network when the device is really offline; with a working network it is the
 * login service that could not be reached, and the text says so.
 */
import type { AppError } from '../result';
import { errorText } from '../chat/message-view';
import { t } from './index';
import type { Language } from './index';

export function loginFailureText(error: AppError, online: boolean, language: Language): string {
  if (online && (error.code === 'network' || error.code === 'timeout'))
    return t('login.unreachable', undefined, language);
  return errorText(error, language);
}
