// ccxt_sign.mjs - signs one request through ccxt's own code (the exchange
// classes' sign() methods), for test_ccxt.c to compare with sign/.
//
//   node ccxt_sign.mjs v3 <privateKey> <user> <signer> <ms> [k=v ...]
//     ccxt's Aster class (V3, EIP-712); its nonce is <ms> * 1000 us
//   node ccxt_sign.mjs v1 <secret> <timestamp ms> [k=v ...]
//     ccxt's binanceusdm class: Aster's V1 is Binance's HMAC scheme
//
// Prints the signed query or body, "...&signature=...", on one line.
// ccxt is loaded from $HUNTER_CCXT_DIR/node_modules (scripts/install-ccxt).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.env.HUNTER_CCXT_DIR;
if (!dir) {
    console.error('ccxt_sign: HUNTER_CCXT_DIR is not set');
    process.exit(2);
}
const load = (...path) => import(pathToFileURL(join(dir, 'node_modules', ...path)).href);
const ccxt = (await load('ccxt', 'js', 'ccxt.js')).default;
const { keccak_256: keccak } = await load('@noble', 'hashes', 'sha3.js');

function params(list) {
    const p = {};
    for (const kv of list) {
        const at = kv.indexOf('=');
        p[kv.slice(0, at)] = kv.slice(at + 1);
    }
    return p;
}

function v3([privateKey, user, signer, ms, ...rest]) {
    const ex = new ccxt.aster({ privateKey, options: { signerAddress: signer } });
    // ccxt takes `user` from the key's address, cached with a hash of the
    // key; seeding that cache makes it send the account we name instead
    ex.options.cachedWalletAddress = user;
    ex.options.privateKeyHashForCachedWalletAddress = ex.hash(ex.encode(privateKey), keccak, 'hex');
    ex.milliseconds = () => Number(ms);
    return ex.sign('order', 'fapiPrivate', 'POST', params(rest)).body;
}

function v1([secret, ms, ...rest]) {
    const ex = new ccxt.binanceusdm({ apiKey: 'key', secret });
    ex.nonce = () => Number(ms);
    return ex.sign('leverage', 'fapiPrivate', 'POST', params(rest)).body;
}

const [scheme, ...args] = process.argv.slice(2);
const out = scheme === 'v3' ? v3(args) : scheme === 'v1' ? v1(args) : undefined;
if (out === undefined) {
    console.error('usage: ccxt_sign.mjs v3|v1 ...');
    process.exit(2);
}
console.log(out);
