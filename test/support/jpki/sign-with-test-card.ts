/**
 * Does what the card does, with a test card from `npm run issue-test-card`:
 *
 *   npm run sign-with-test-card -- nonce '<nonce as the server issued it>' [--card .data/test-card]
 *   npm run sign-with-test-card -- content application.json [--card .data/test-card]
 *
 * `nonce` signs the UTF-8 bytes of the nonce text with the authentication
 * key (login); `content` signs the canonical JSON of the file's content with
 * the signing key (an application). Both are RSASSA-PKCS1-v1_5 / SHA-256.
 * Prints JSON to paste into a request: certificateChain (PEM, leaf first),
 * signature (base64) and, for content, the contentHash that was signed.
 */
import { constants, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { canonicalContentHash, contentSigningBytes } from '@madoguchi/identity/jpki';

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { card: { type: 'string', default: '.data/test-card' } },
  });
  const [mode, argument] = positionals;
  if ((mode !== 'nonce' && mode !== 'content') || argument === undefined) {
    throw new Error("usage: sign-with-test-card -- nonce '<nonce>' | content <file.json> [--card dir]");
  }
  const cardDir = path.resolve(values.card, 'card');
  const kind = mode === 'nonce' ? 'authentication' : 'signing';
  const read = (name: string) => readFileSync(path.join(cardDir, name), 'utf8');

  let data: Buffer;
  let contentHash: string | undefined;
  if (mode === 'nonce') {
    data = Buffer.from(argument, 'utf8');
  } else {
    const content: unknown = JSON.parse(readFileSync(path.resolve(argument), 'utf8'));
    data = contentSigningBytes(content);
    contentHash = canonicalContentHash(content);
  }
  const signature = sign('sha256', data, { key: createPrivateKey(read(`${kind}-key.pem`)), padding: constants.RSA_PKCS1_PADDING });
  process.stdout.write(
    `${JSON.stringify(
      {
        kind,
        certificateChain: [read(`${kind}.pem`)],
        signature: signature.toString('base64'),
        ...(contentHash ? { contentHash } : {}),
      },
      null,
      2,
    )}\n`,
  );
}

try {
  main();
} catch (error) {
  process.stderr.write(`sign-with-test-card: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
