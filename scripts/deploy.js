#!/usr/bin/env node
/*
 * Deployment through miniprogram-ci.
 *   npm run preview                       QR code for a phone (printed in the terminal and saved as PNG)
 *   npm run upload -- <version> "<desc>"  upload a version for review
 * Needs MP_APPID (the mini-program's appid) and MP_PRIVATE_KEY_PATH (the upload key from the WeChat
 * console: 开发管理 → 开发设置 → 小程序代码上传). The key stays on the machine that deploys.
 */
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

/** Returns the problems with the environment and arguments; empty when ready to deploy. */
function checkDeploy(command, args, env) {
  const problems = [];
  if (command !== 'preview' && command !== 'upload')
    problems.push(`unknown command "${command}" (use preview or upload)`);
  if (!env.MP_APPID)
    problems.push('MP_APPID is not set: the mini-program appid (wx…) from the WeChat console');
  else if (!/^wx[0-9a-f]{16}$/.test(env.MP_APPID))
    problems.push(`MP_APPID "${env.MP_APPID}" does not look like an appid (wx + 16 hex digits)`);
  if (!env.MP_PRIVATE_KEY_PATH)
    problems.push('MP_PRIVATE_KEY_PATH is not set: path to the code-upload private key');
  else if (!fs.existsSync(env.MP_PRIVATE_KEY_PATH))
    problems.push(`MP_PRIVATE_KEY_PATH: no file at ${env.MP_PRIVATE_KEY_PATH}`);
  if (command === 'upload') {
    if (!args[0]) problems.push('upload needs a version: npm run upload -- 1.2.3 "what changed"');
    else if (!/^\d+\.\d+\.\d+$/.test(args[0])) problems.push(`version "${args[0]}" is not x.y.z`);
    if (!args[1])
      problems.push('upload needs a description: npm run upload -- 1.2.3 "what changed"');
  }
  return problems;
}

async function deploy(command, args, env) {
  const ci = require('miniprogram-ci');
  const projectConfig = JSON.parse(fs.readFileSync(path.join(root, 'project.config.json'), 'utf8'));
  const project = new ci.Project({
    appid: env.MP_APPID,
    type: 'miniProgram',
    projectPath: root,
    privateKeyPath: env.MP_PRIVATE_KEY_PATH,
    ignores: ['node_modules/**/*'],
  });
  const setting = { ...projectConfig.setting, es6: true, minify: true };
  if (command === 'preview') {
    const qrcodeOutputDest = path.join(root, '.artifacts', 'preview-qrcode.png');
    fs.mkdirSync(path.dirname(qrcodeOutputDest), { recursive: true });
    await ci.preview({
      project,
      desc: 'preview',
      setting,
      qrcodeFormat: 'image',
      qrcodeOutputDest,
    });
    console.log(`preview: QR code saved to ${path.relative(root, qrcodeOutputDest)}`);
  } else {
    await ci.upload({ project, version: args[0], desc: args[1], setting });
    console.log(`upload: version ${args[0]} uploaded`);
  }
}

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  const problems = checkDeploy(command, args, process.env);
  if (problems.length) {
    console.error(`Cannot ${command || 'deploy'}:`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(2);
  }
  deploy(command, args, process.env).catch((e) => {
    console.error(`${command} failed: ${e && e.message ? e.message : e}`);
    process.exit(1);
  });
}

module.exports = { checkDeploy };
