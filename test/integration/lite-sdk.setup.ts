/** The `integration-lite` jest project: the same real-SDK tests on `@tencentcloud/lite-chat`. */
process.env.CHAT_SDK = 'lite';
