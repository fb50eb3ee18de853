/**
 * Strings of the entry points, reply notifications, the WeChat customer-service fallback and the
 * language picker. `en` is typed against `zh`, so a missing translation fails the type check.
 */
export const zh = {
  'entry.contact': '联系客服',
  'entry.complaint': '我要投诉',
  'entry.floating': '客服',
  'entry.open.aria': '{label}，打开在线客服会话',
  'entry.openFailed': '暂时无法打开客服会话，请稍后重试',
  'entry.fallback.label': '联系微信客服',
  'entry.fallback.hint': '暂时无法连接在线客服，您可以通过微信客服联系我们',
  'entry.fallback.aria': '{label}，打开微信客服会话',
  'entry.subscribe.queued': '正在为您排队，客服回复时通过微信通知您？',
  'entry.subscribe.noAgent': '暂时没有客服在线，有回复时通过微信通知您？',
  'entry.subscribe.offHours': '现在是非工作时间，客服回复时通过微信通知您？',
  'entry.subscribe.leaving': '离开后客服回复时，通过微信通知您？',
  'entry.subscribe.accept': '通知我',
  'entry.subscribe.accept.aria': '开启客服回复通知',
  'entry.subscribe.dismiss': '暂不需要',
  'entry.subscribe.dismiss.aria': '关闭回复通知提示',
  'entry.subscribe.accepted': '客服回复后将通过微信通知您',
  'entry.subscribe.rejected': '未开启通知，您可以随时回来查看回复',
  'entry.subscribe.blocked': '消息通知已在微信设置中关闭',
  'entry.subscribe.failed': '未能开启通知，请稍后重试',
  'entry.language.title': '语言',
  'entry.language.auto': '跟随系统',
  'entry.language.zh': '简体中文',
  'entry.language.en': 'English',
  'entry.language.aria': '切换界面语言，当前为{name}',
};

export const en: Record<keyof typeof zh, string> = {
  'entry.contact': 'Contact us',
  'entry.complaint': 'File a complaint',
  'entry.floating': 'Help',
  'entry.open.aria': '{label}, opens the customer service chat',
  'entry.openFailed': 'Could not open the customer service chat. Please try again later.',
  'entry.fallback.label': 'Contact us on WeChat',
  'entry.fallback.hint':
    'Online customer service is unavailable right now. You can reach us through WeChat customer service.',
  'entry.fallback.aria': '{label}, opens WeChat customer service',
  'entry.subscribe.queued':
    'You are in the queue. Get a WeChat notification when an agent replies?',
  'entry.subscribe.noAgent':
    'No agent is online right now. Get a WeChat notification when they reply?',
  'entry.subscribe.offHours':
    'We are outside working hours. Get a WeChat notification when they reply?',
  'entry.subscribe.leaving': 'Leaving? Get a WeChat notification when an agent replies.',
  'entry.subscribe.accept': 'Notify me',
  'entry.subscribe.accept.aria': 'Turn on reply notifications',
  'entry.subscribe.dismiss': 'Not now',
  'entry.subscribe.dismiss.aria': 'Dismiss the reply notification prompt',
  'entry.subscribe.accepted': 'We will notify you on WeChat when an agent replies.',
  'entry.subscribe.rejected': 'Notifications are off. Come back any time to read the reply.',
  'entry.subscribe.blocked': 'Notifications are turned off in your WeChat settings.',
  'entry.subscribe.failed': 'Could not turn on notifications. Please try again later.',
  'entry.language.title': 'Language',
  'entry.language.auto': 'System default',
  'entry.language.zh': '简体中文',
  'entry.language.en': 'English',
  'entry.language.aria': 'Change the app language, currently {name}',
};
