// ccxt_trade.mjs - ccxt's Aster class (V3, EIP-712, its own signer) places
// a LIMIT order on `hunter serve`, finds it among the open orders and
// cancels it, for test_ccxt.c.
//
//   node ccxt_trade.mjs <port> <privateKey> <user> <signer>
//
// Prints "placed <id> <status>", "open <n>" and "canceled <status>", one a
// line. The server serves the futures API only: the spot exchangeInfo
// that loadMarkets also asks for, and the sign-in it makes, are answered
// here instead; and the served exchangeInfo holds the fields hunter
// records, so the ones ccxt needs to list a perpetual (base and quote
// asset, contract type) are added to it here. Every trading request goes
// to the server as ccxt signs it. ccxt is loaded from
// $HUNTER_CCXT_DIR/node_modules.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.env.HUNTER_CCXT_DIR;
const load = (...path) => import(pathToFileURL(join(dir, 'node_modules', ...path)).href);
const ccxt = (await load('ccxt', 'js', 'ccxt.js')).default;
const { keccak_256: keccak } = await load('@noble', 'hashes', 'sha3.js');

const [port, privateKey, user, signer] = process.argv.slice(2);
const ex = new ccxt.aster({ privateKey, options: { signerAddress: signer } });
// ccxt takes `user` from the key's address, cached with a hash of the key;
// seeding that cache makes it send the account we name instead
ex.options.cachedWalletAddress = user;
ex.options.privateKeyHashForCachedWalletAddress = ex.hash(ex.encode(privateKey), keccak, 'hex');
const base = `http://127.0.0.1:${port}`;
ex.urls.api = { ...ex.urls.api, fapiPublic: `${base}/fapi`, fapiPrivate: `${base}/fapi` };
ex.sapiPublicGetV3ExchangeInfo = async () => ({ symbols: [] });
const served = ex.fapiPublicGetV3ExchangeInfo.bind(ex);
ex.fapiPublicGetV3ExchangeInfo = async (p) => {
    const info = await served(p);
    for (const s of info.symbols) {
        Object.assign(s, { baseAsset: s.symbol.replace(/USDT$/, ''), quoteAsset: 'USDT',
                           marginAsset: 'USDT', contractType: 'PERPETUAL' });
    }
    return info;
};
ex.signIn = async () => ({});

const symbol = 'BTC/USDT:USDT';
const placed = await ex.createOrder(symbol, 'limit', 'buy', 0.01, 50000, { clientOrderId: 'ccxt-1' });
console.log(`placed ${placed.id} ${placed.status}`);
const open = await ex.fetchOpenOrders(symbol);
console.log(`open ${open.length}`);
const canceled = await ex.cancelOrder(placed.id, symbol);
console.log(`canceled ${canceled.status}`);
