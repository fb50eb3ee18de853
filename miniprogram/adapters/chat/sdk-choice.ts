/**
 * The Chat SDK this package ships, chosen at build time so the package carries only one of them:
 * `./sdk-chat` (`@tencentcloud/chat`, the default) or `./sdk-lite` (`@tencentcloud/lite-chat` basic
 * + plugins: 481 KB compiled against 714 KB, but it has no `proxyServer` and misses features the
 * simulator's integration tests use: README "Chat SDK"). `scripts/build-cs.js --sdk` and
 * `scripts/compile-offline.js --sdk` build with the other one; editing this line switches the tree.
 */
export { chatSdk as chosenSdk } from './sdk-chat';
