// ccxt_trade.mjs - ccxt's Aster class (V3, EIP-712, its own signer) trades
// on `hunter serve` as it would on Aster, for test_ccxt.c: it loads the
// markets, reads the balance, places a LIMIT order, finds it among the open
// orders, cancels it, buys at market, and finds the position and the fill.
//
//   node ccxt_trade.mjs <port> <privateKey> <user> <signer>
//
// Prints one line per step: "markets <n> <type>", "balance <USDT total>",
// "placed <id> <status>", "open <n>", "canceled <status>", "market <status>
// <filled>", "position <contracts> <side>", "trades <n> <side> <amount>".
// Nothing of ccxt is patched: the server answers everything ccxt asks,
// the spot exchangeInfo of loadMarkets and the builder list of its sign-in
// included (the builder approval it then tries is refused, and ccxt goes on
// without a builder, as it does on Aster). ccxt is loaded from
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
// the test's key is an API wallet's, not the user's, so the cache is seeded
// with the user it trades for (a client setting, not a server stand-in)
ex.options.cachedWalletAddress = user;
ex.options.privateKeyHashForCachedWalletAddress = ex.hash(ex.encode(privateKey), keccak, 'hex');
const base = `http://127.0.0.1:${port}`;
ex.urls.api = { ...ex.urls.api, fapiPublic: `${base}/fapi`, fapiPrivate: `${base}/fapi`,
                sapiPublic: `${base}/api` };

const symbol = 'BTC/USDT:USDT';
const markets = await ex.loadMarkets();
console.log(`markets ${Object.keys(markets).length} ${markets[symbol].type}`);
const balance = await ex.fetchBalance({ type: 'swap' });
console.log(`balance ${balance.USDT.total}`);
const placed = await ex.createOrder(symbol, 'limit', 'buy', 0.01, 50000, { clientOrderId: 'ccxt-1' });
console.log(`placed ${placed.id} ${placed.status}`);
const open = await ex.fetchOpenOrders(symbol);
console.log(`open ${open.length}`);
const canceled = await ex.cancelOrder(placed.id, symbol);
console.log(`canceled ${canceled.status}`);
const bought = await ex.createOrder(symbol, 'market', 'buy', 0.01);
console.log(`market ${bought.status} ${bought.filled}`);
const positions = await ex.fetchPositions([symbol]);
console.log(`position ${positions[0]?.contracts} ${positions[0]?.side}`);
const trades = await ex.fetchMyTrades(symbol);
console.log(`trades ${trades.length} ${trades[0]?.side} ${trades[0]?.amount}`);
