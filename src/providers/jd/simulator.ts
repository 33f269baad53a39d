// In-memory JD ECLP/JOS simulator: signed routerjson, OAuth, status progression, push, faults and a test control API.
import { randomBytes, randomUUID } from 'node:crypto';
import { listen } from '../simulator-server.ts';
import { JD_METHODS } from './client.ts';
import { JD_PUSH_TOPICS } from './push.ts';
import { JD_PUSH_SIGN_HEADER, jdPushSign, jdSign, jdTimestamp, parseJdTimestamp } from './sign.ts';
import { jdResponseKeys } from './wire.ts';

/**
 * Error codes the simulator answers with. Only 21 (invalid app_key) is confirmed for JOS; the
 * others are the simulator's choice, kept in the client's configurable AUTH set where they are
 * credential failures.
 */
export const JD_SIM_ERRORS = {
  invalidAccessToken: '19',
  invalidAppKey: '21',
  invalidSign: '25',
  staleTimestamp: '28',
  missingParam: '40',
  business: '1',
} as const;

const STALE_AFTER_MS = 10 * 60 * 1000;

/** Unsourced codes the simulator uses (PROVIDERS.md): 10010 created … 10016 picked. */
const SO_STATUS_NAMES: Record<string, string> = {
  '10010': '新建',
  '10012': '已接收',
  '10014': '拣货中',
  '10016': '已拣货',
  '10018': '已打包',
  '10019': '已发货',
  '10028': '已取消',
  '10029': '取消失败',
};
const PO_STATUS_NAMES: Record<string, string> = { '10': '新建', '20': '初始化', '70': '完成', '90': '取消中', '91': '已取消', '92': '取消失败' };

export type JdFault =
  | { kind: 'latency'; ms: number }
  | { kind: 'http5xx'; status?: number }
  | { kind: 'hang' }
  | { kind: 'malformed' }
  | { kind: 'business'; zhDesc?: string }
  | { kind: 'badCredential' };

export interface JdSimGoods {
  goodsNo: string;
  isvGoodsNo: string;
  goodsName: string;
  deptNo: string;
}
export interface JdSimPo {
  poOrderNo: string;
  spPoOrderNo: string;
  deptNo: string;
  whNo: string;
  status: string;
  items: { goodsNo: string; isvGoodsNo: string; numApplication: number; realInstoreQty: number }[];
}
export interface JdSimOrder {
  eclpSoNo: string;
  isvUUID: string;
  deptNo: string;
  warehouseNo: string;
  wayBill: string;
  history: { soStatusCode: string; soStatusName: string; operateTime: string }[];
  request: Record<string, unknown>;
}
export interface JdSimPushMessage {
  topic: string;
  msgId: string;
  timestamp: string;
  appKey: string;
  deptNo: string;
  content: Record<string, string>;
}
export interface JdSimReceivedCall {
  path: string;
  method: string | null;
  body: string;
}

export interface JdSimulatorOptions {
  now?: () => Date;
}

export function createJdSimulator(options: JdSimulatorOptions = {}) {
  const now = options.now ?? (() => new Date());
  const apps = new Map<string, string>(); // appKey → secret
  const tokens = new Map<string, { appKey: string; openId: string }>();
  const refreshTokens = new Map<string, { appKey: string; openId: string }>();
  const codes = new Map<string, { appKey: string; redirectUri: string }>();
  const depts = new Map<string, { warehouses: { warehouseNo: string; warehouseName: string }[] }>();
  const goods = new Map<string, JdSimGoods>(); // goodsNo → goods
  const stock = new Map<string, { goodsNo: string; totalNum: number; usableNum: number }[]>(); // `${deptNo}/${warehouseNo}`
  const pos = new Map<string, JdSimPo>();
  const orders = new Map<string, JdSimOrder>();
  const calls: JdSimReceivedCall[] = [];
  const faults: JdFault[] = [];
  const pushTargets = new Map<string, string>(); // `${appKey}/${deptNo}` → callback URL
  const pushed: { url: string; message: JdSimPushMessage; status: number | null }[] = [];
  const pendingPushes = new Set<Promise<void>>();
  /** Push delivery quirks for webhook tests: each message sent twice (same msgId). */
  const pushOptions = { duplicate: false };
  let sequence = 0;
  const nextNo = (prefix: string) => `${prefix}${String(++sequence).padStart(10, '0')}`;

  // ---- control helpers (also served under /__control) ------------------------------------

  const control = {
    addApp(appKey: string, appSecret: string) {
      apps.set(appKey, appSecret);
    },
    /** Issues an access token directly, skipping the OAuth dance. */
    issueToken(appKey: string, accessToken = randomBytes(16).toString('hex')) {
      tokens.set(accessToken, { appKey, openId: `open-${appKey}` });
      return accessToken;
    },
    revokeToken(accessToken: string) {
      tokens.delete(accessToken);
    },
    addDept(deptNo: string, warehouses: { warehouseNo: string; warehouseName: string }[]) {
      depts.set(deptNo, { warehouses: [...warehouses] });
    },
    /**
     * Stock in one warehouse for the given `skus` (isvGoodsNo), or `count` generated ones
     * (`${prefix}0001`…), registering goods as needed; seeding a SKU again replaces its row.
     * Returns the isvGoodsNos.
     */
    seedStock(input: { deptNo: string; warehouseNo: string; count?: number; skus?: readonly string[]; prefix?: string; usableNum?: number; totalNum?: number }) {
      const rows = stock.get(`${input.deptNo}/${input.warehouseNo}`) ?? [];
      const isvGoodsNos = input.skus ? [...input.skus] : Array.from({ length: input.count ?? 0 }, (_, index) => `${input.prefix ?? 'SKU'}${String(index + 1).padStart(4, '0')}`);
      for (const isvGoodsNo of isvGoodsNos) {
        const item = findGoodsByIsv(input.deptNo, isvGoodsNo) ?? registerGoods(input.deptNo, isvGoodsNo, isvGoodsNo);
        const row = { goodsNo: item.goodsNo, usableNum: input.usableNum ?? 10, totalNum: input.totalNum ?? input.usableNum ?? 10 };
        const index = rows.findIndex((existing) => existing.goodsNo === item.goodsNo);
        if (index >= 0) rows[index] = row;
        else rows.push(row);
      }
      stock.set(`${input.deptNo}/${input.warehouseNo}`, rows);
      return isvGoodsNos;
    },
    /** Appends an outbound status (e.g. 10014) now, and pushes it if a callback is registered. */
    advanceOrder(eclpSoNo: string, soStatusCode: string) {
      const order = orders.get(eclpSoNo);
      if (!order) throw new Error(`no order ${eclpSoNo}`);
      appendStatus(order, soStatusCode);
    },
    advancePo(poOrderNo: string, status: string, received?: Record<string, number>) {
      const po = pos.get(poOrderNo);
      if (!po) throw new Error(`no PO ${poOrderNo}`);
      po.status = status;
      for (const item of po.items) if (received?.[item.goodsNo] !== undefined) item.realInstoreQty = received[item.goodsNo]!;
      pushPo(po);
    },
    injectFaults(fault: JdFault, times = 1) {
      for (let index = 0; index < times; index++) faults.push(fault);
    },
    setPushOptions(options: Partial<typeof pushOptions>) {
      Object.assign(pushOptions, options);
    },
    registerPush(appKey: string, deptNo: string, callbackUrl: string) {
      pushTargets.set(`${appKey}/${deptNo}`, callbackUrl);
    },
    received: () => ({
      calls: [...calls],
      goods: [...goods.values()],
      pos: [...pos.values()],
      orders: [...orders.values()],
      pushed: [...pushed],
    }),
    /** Resolves once every push sent so far has been answered (or failed). */
    async flushPushes() {
      while (pendingPushes.size > 0) await Promise.all([...pendingPushes]);
    },
  };

  function findGoodsByIsv(deptNo: string, isvGoodsNo: string) {
    return [...goods.values()].find((item) => item.deptNo === deptNo && item.isvGoodsNo === isvGoodsNo);
  }
  function registerGoods(deptNo: string, isvGoodsNo: string, goodsName: string): JdSimGoods {
    const item = { goodsNo: nextNo('EMG'), isvGoodsNo, goodsName, deptNo };
    goods.set(item.goodsNo, item);
    return item;
  }

  function appendStatus(order: JdSimOrder, soStatusCode: string) {
    order.history.push({ soStatusCode, soStatusName: SO_STATUS_NAMES[soStatusCode] ?? soStatusCode, operateTime: jdTimestamp(now()) });
    push(order.deptNo, JD_PUSH_TOPICS.outbound, {
      eclpSoNo: order.eclpSoNo,
      isvUUID: order.isvUUID,
      statusCode: soStatusCode,
      statusName: SO_STATUS_NAMES[soStatusCode] ?? soStatusCode,
      operateTime: jdTimestamp(now()),
    });
  }
  function pushPo(po: JdSimPo) {
    push(po.deptNo, JD_PUSH_TOPICS.inbound, {
      poOrderNo: po.poOrderNo,
      isvUUID: po.spPoOrderNo,
      statusCode: po.status,
      statusName: PO_STATUS_NAMES[po.status] ?? po.status,
      operateTime: jdTimestamp(now()),
    });
  }

  /** Push (unsourced): signed JSON to every app that registered a callback for the dept. */
  function push(deptNo: string, topic: string, content: Record<string, string>) {
    for (const [key, url] of pushTargets) {
      const [appKey, targetDept] = key.split('/') as [string, string];
      if (targetDept !== deptNo) continue;
      const message: JdSimPushMessage = { topic, msgId: randomUUID(), timestamp: jdTimestamp(now()), appKey, deptNo, content };
      for (let copy = 0; copy < (pushOptions.duplicate ? 2 : 1); copy++) deliver(appKey, url, message);
    }
  }

  function deliver(appKey: string, url: string, message: JdSimPushMessage) {
    const body = JSON.stringify(message);
    const entry = { url, message, status: null as number | null };
    pushed.push(entry);
    const delivery = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [JD_PUSH_SIGN_HEADER]: jdPushSign(body, apps.get(appKey) ?? '') },
      body,
      signal: AbortSignal.timeout(5_000),
    })
      .then(async (response) => {
        entry.status = response.status;
        await response.body?.cancel();
      })
      .catch(() => undefined)
      .finally(() => pendingPushes.delete(delivery));
    pendingPushes.add(delivery);
  }

  // ---- HTTP ------------------------------------------------------------------------------

  const json = (value: unknown, status = 200) =>
    new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json;charset=utf-8' } });
  const errorResponse = (code: string, zh: string, en: string) => json({ error_response: { code, zh_desc: zh, en_desc: en } });

  async function handler(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/__control/')) return handleControl(url.pathname.slice('/__control/'.length), request);
    if (url.pathname === '/oauth2/to_login') return authorize(url);
    if (url.pathname === '/oauth2/access_token' || url.pathname === '/oauth2/refresh_token') return token(url);
    if (url.pathname === '/routerjson' && request.method === 'POST') return router(await request.text());
    return new Response('not found', { status: 404 });
  }

  async function router(body: string): Promise<Response> {
    const form = new URLSearchParams(body);
    const params: Record<string, string> = {};
    for (const [key, value] of form) params[key] = value;
    calls.push({ path: '/routerjson', method: params.method ?? null, body });

    const fault = faults.shift();
    if (fault?.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    if (fault?.kind === 'http5xx') return new Response('<html>502 Bad Gateway</html>', { status: fault.status ?? 502 });
    if (fault?.kind === 'hang') return new Promise<Response>(() => undefined);
    if (fault?.kind === 'malformed') return new Response('{"jingdong_eclp_', { status: 200, headers: { 'content-type': 'application/json' } });
    if (fault?.kind === 'badCredential') return errorResponse(JD_SIM_ERRORS.invalidAccessToken, 'token已过期或者不存在', 'Invalid access_token');

    for (const name of ['method', 'app_key', 'access_token', 'timestamp', 'v', '360buy_param_json', 'sign']) {
      if (!params[name]) return errorResponse(JD_SIM_ERRORS.missingParam, `缺少参数${name}`, `Missing parameter ${name}`);
    }
    const secret = apps.get(params.app_key!);
    if (secret === undefined) return errorResponse(JD_SIM_ERRORS.invalidAppKey, '无效的app_key', 'Invalid app_key');
    if (jdSign(params, secret) !== params.sign) return errorResponse(JD_SIM_ERRORS.invalidSign, '签名无效', 'Invalid signature');
    const sentAt = parseJdTimestamp(params.timestamp!);
    if (!sentAt || Math.abs(now().getTime() - sentAt.getTime()) > STALE_AFTER_MS) {
      return errorResponse(JD_SIM_ERRORS.staleTimestamp, '时间戳错误或已过期', 'Invalid or stale timestamp');
    }
    const grant = tokens.get(params.access_token!);
    if (!grant || grant.appKey !== params.app_key) {
      return errorResponse(JD_SIM_ERRORS.invalidAccessToken, 'token已过期或者不存在', 'Invalid access_token');
    }
    if (fault?.kind === 'business') return errorResponse(JD_SIM_ERRORS.business, fault.zhDesc ?? '业务处理失败', 'Business failure');

    let business: Record<string, unknown>;
    try {
      business = JSON.parse(params['360buy_param_json']!) as Record<string, unknown>;
    } catch {
      return errorResponse(JD_SIM_ERRORS.missingParam, '360buy_param_json格式错误', 'Bad 360buy_param_json');
    }
    const result = dispatch(params.method!, business);
    if ('error' in result) return errorResponse(JD_SIM_ERRORS.business, result.error.zh, result.error.en);
    return json({ [jdResponseKeys(params.method!)[0]]: { code: '0', ...result.ok } });
  }

  type Outcome = { ok: Record<string, unknown> } | { error: { zh: string; en: string } };
  const reject = (zh: string, en: string): Outcome => ({ error: { zh, en } });
  const str = (value: unknown) => (value === undefined || value === null ? '' : String(value));
  const list = (value: unknown) => str(value).split(',').filter((part) => part !== '');

  function dispatch(method: string, business: Record<string, unknown>): Outcome {
    const deptNo = str(business.deptNo ?? business.departmentNo);
    switch (method) {
      case JD_METHODS.queryWarehouse: {
        const dept = depts.get(deptNo);
        if (!dept) return reject(`事业部${deptNo}不存在`, `unknown deptNo ${deptNo}`);
        return { ok: { querywarehouse_result: dept.warehouses } };
      }
      case JD_METHODS.transportGoodsInfo: {
        if (!depts.has(deptNo)) return reject(`事业部${deptNo}不存在`, `unknown deptNo ${deptNo}`);
        const isvGoodsNo = str(business.isvGoodsNo);
        if (!isvGoodsNo) return reject('isvGoodsNo不能为空', 'isvGoodsNo is required');
        const existing = findGoodsByIsv(deptNo, isvGoodsNo);
        if (existing) existing.goodsName = str(business.goodsName);
        return { ok: { goodsNo: (existing ?? registerGoods(deptNo, isvGoodsNo, str(business.goodsName))).goodsNo } };
      }
      case JD_METHODS.addPoOrder: {
        const dept = depts.get(deptNo);
        if (!dept) return reject(`事业部${deptNo}不存在`, `unknown deptNo ${deptNo}`);
        const spPoOrderNo = str(business.spPoOrderNo);
        const duplicate = [...pos.values()].find((po) => po.deptNo === deptNo && po.spPoOrderNo === spPoOrderNo);
        if (duplicate) return reject(`spPoOrderNo重复，已存在${duplicate.poOrderNo}`, `duplicate spPoOrderNo, existing ${duplicate.poOrderNo}`);
        const whNo = str(business.whNo);
        if (!dept.warehouses.some((warehouse) => warehouse.warehouseNo === whNo)) return reject(`仓库${whNo}不存在`, `unknown whNo ${whNo}`);
        const goodsNos = list(business.deptGoodsNo);
        const quantities = list(business.numApplication).map(Number);
        if (goodsNos.length === 0 || goodsNos.length !== quantities.length) return reject('商品行不匹配', 'line lists differ in length');
        const unknown = goodsNos.find((goodsNo) => goods.get(goodsNo)?.deptNo !== deptNo);
        if (unknown) return reject(`商品${unknown}不存在`, `unknown goods ${unknown}`);
        const po: JdSimPo = {
          poOrderNo: nextNo('EPL'),
          spPoOrderNo,
          deptNo,
          whNo,
          status: '10',
          items: goodsNos.map((goodsNo, index) => ({ goodsNo, isvGoodsNo: goods.get(goodsNo)!.isvGoodsNo, numApplication: quantities[index]!, realInstoreQty: 0 })),
        };
        pos.set(po.poOrderNo, po);
        return { ok: { poOrderNo: po.poOrderNo } };
      }
      case JD_METHODS.queryPoOrder: {
        const found = list(business.poOrderNo).map((poOrderNo) => pos.get(poOrderNo));
        return {
          ok: {
            queryPoModelList: found
              .filter((po) => po !== undefined)
              .map((po) => ({
                poOrderNo: po.poOrderNo,
                isvPoOrderNo: po.spPoOrderNo,
                poOrderStatus: po.status,
                poItemModelList: po.items.map((item) => ({ ...item })),
              })),
          },
        };
      }
      case JD_METHODS.cancalPoOrder: {
        const po = pos.get(str(business.poOrderNo));
        if (!po) return reject('采购单不存在', 'unknown poOrderNo');
        if (po.status === '91') return { ok: { cancalpoorder_result: { code: 1, msg: '已取消' } } };
        if (po.status !== '10' && po.status !== '20') return { ok: { cancalpoorder_result: { code: 2, msg: '当前状态不允许取消' } } };
        po.status = '91';
        pushPo(po);
        return { ok: { cancalpoorder_result: { code: 1, msg: '取消成功' } } };
      }
      case JD_METHODS.addOrder: {
        const dept = depts.get(deptNo);
        if (!dept) return reject(`事业部${deptNo}不存在`, `unknown deptNo ${deptNo}`);
        const isvUUID = str(business.isvUUID);
        if (!isvUUID) return reject('isvUUID不能为空', 'isvUUID is required');
        const duplicate = [...orders.values()].find((order) => order.deptNo === deptNo && order.isvUUID === isvUUID);
        if (duplicate) return reject(`isvUUID重复，已存在${duplicate.eclpSoNo}`, `duplicate isvUUID, existing ${duplicate.eclpSoNo}`);
        const warehouseNo = str(business.warehouseNo);
        if (!dept.warehouses.some((warehouse) => warehouse.warehouseNo === warehouseNo)) return reject(`仓库${warehouseNo}不存在`, `unknown warehouseNo ${warehouseNo}`);
        const goodsNos = list(business.goodsNo);
        if (goodsNos.length === 0 || goodsNos.length !== list(business.quantity).length) return reject('商品行不匹配', 'line lists differ in length');
        const unknown = goodsNos.find((goodsNo) => goods.get(goodsNo)?.deptNo !== deptNo);
        if (unknown) return reject(`商品${unknown}不存在`, `unknown goods ${unknown}`);
        const order: JdSimOrder = { eclpSoNo: nextNo('ESL'), isvUUID, deptNo, warehouseNo, wayBill: nextNo('JDV'), history: [], request: business };
        orders.set(order.eclpSoNo, order);
        appendStatus(order, '10010');
        return { ok: { eclpSoNo: order.eclpSoNo } };
      }
      case JD_METHODS.cancelOrder: {
        const order = orders.get(str(business.eclpSoNo));
        if (!order) return reject('订单不存在', 'unknown eclpSoNo');
        const current = order.history.at(-1)?.soStatusCode ?? '10010';
        if (current === '10028') return { ok: { cancelorder_result: { code: 1, msg: '已取消' } } };
        if (current !== '10010' && current !== '10012') {
          appendStatus(order, '10029');
          return { ok: { cancelorder_result: { code: 2, msg: '订单已进入拣货，不允许取消' } } };
        }
        appendStatus(order, '10028');
        return { ok: { cancelorder_result: { code: 1, msg: '取消成功' } } };
      }
      case JD_METHODS.queryOrderStatus: {
        const order = orders.get(str(business.eclpSoNo));
        if (!order) return reject('订单不存在', 'unknown eclpSoNo');
        return { ok: { eclpSoNo: order.eclpSoNo, isvUUID: order.isvUUID, wayBill: order.wayBill, orderStatusList: order.history.map((entry) => ({ ...entry })) } };
      }
      case JD_METHODS.queryStock: {
        const rows = (stock.get(`${deptNo}/${str(business.warehouseNo)}`) ?? []).filter(
          (row) => list(business.goodsNo).length === 0 || list(business.goodsNo).includes(row.goodsNo),
        );
        const currentPage = Math.max(1, Number(business.currentPage) || 1);
        const pageSize = Math.max(1, Number(business.pageSize) || 50);
        const page = rows.slice((currentPage - 1) * pageSize, currentPage * pageSize);
        return { ok: { querystock_result: page.map((row) => ({ ...row, isvGoodsNo: goods.get(row.goodsNo)?.isvGoodsNo })) } };
      }
      default:
        return reject(`方法${method}不存在`, `unknown method ${method}`);
    }
  }

  /** Auto-approves: redirects straight back with a single-use code. */
  function authorize(url: URL): Response {
    const appKey = url.searchParams.get('app_key') ?? '';
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    calls.push({ path: url.pathname, method: null, body: url.search });
    if (!apps.has(appKey)) return json({ error_response: { code: JD_SIM_ERRORS.invalidAppKey, zh_desc: '无效的app_key', en_desc: 'Invalid app_key' } }, 400);
    if (url.searchParams.get('response_type') !== 'code' || !/^https?:\/\//.test(redirectUri)) {
      return json({ error_response: { code: JD_SIM_ERRORS.missingParam, zh_desc: '参数错误', en_desc: 'Bad parameters' } }, 400);
    }
    const code = randomBytes(8).toString('hex');
    codes.set(code, { appKey, redirectUri });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('state', url.searchParams.get('state') ?? '');
    return new Response(null, { status: 302, headers: { location: target.toString() } });
  }

  function token(url: URL): Response {
    const query = url.searchParams;
    calls.push({ path: url.pathname, method: null, body: '' }); // the query holds the secret: not kept
    const appKey = query.get('app_key') ?? '';
    const oauthError = (zh: string) => json({ error_response: { code: JD_SIM_ERRORS.invalidAppKey, zh_desc: zh, en_desc: zh } });
    if (!apps.has(appKey) || apps.get(appKey) !== query.get('app_secret')) return oauthError('app_key或app_secret错误');
    let openId: string;
    if (url.pathname === '/oauth2/access_token') {
      const grant = codes.get(query.get('code') ?? '');
      if (query.get('grant_type') !== 'authorization_code' || !grant || grant.appKey !== appKey) return oauthError('code无效或已使用');
      codes.delete(query.get('code')!);
      openId = `open-${randomBytes(4).toString('hex')}`;
    } else {
      const grant = refreshTokens.get(query.get('refresh_token') ?? '');
      if (query.get('grant_type') !== 'refresh_token' || !grant || grant.appKey !== appKey) return oauthError('refresh_token无效');
      refreshTokens.delete(query.get('refresh_token')!);
      for (const [accessToken, holder] of tokens) if (holder.openId === grant.openId && holder.appKey === appKey) tokens.delete(accessToken);
      openId = grant.openId;
    }
    const accessToken = randomBytes(16).toString('hex');
    const refreshToken = randomBytes(16).toString('hex');
    tokens.set(accessToken, { appKey, openId });
    refreshTokens.set(refreshToken, { appKey, openId });
    return json({ access_token: accessToken, expires_in: 86_400, refresh_token: refreshToken, scope: 'snsapi_base', open_id: openId, time: now().getTime(), token_type: 'bearer' });
  }

  async function handleControl(path: string, request: Request): Promise<Response> {
    const input = (request.method === 'POST' ? await request.json().catch(() => ({})) : {}) as Record<string, any>;
    try {
      switch (path) {
        case 'apps':
          control.addApp(input.appKey, input.appSecret);
          return json({ ok: true });
        case 'tokens':
          return json({ accessToken: control.issueToken(input.appKey, input.accessToken) });
        case 'depts':
          control.addDept(input.deptNo, input.warehouses ?? []);
          return json({ ok: true });
        case 'stock':
          control.seedStock(input as Parameters<typeof control.seedStock>[0]);
          return json({ ok: true });
        case 'orders/advance':
          control.advanceOrder(input.eclpSoNo, String(input.soStatusCode));
          return json({ ok: true });
        case 'pos/advance':
          control.advancePo(input.poOrderNo, String(input.status), input.received);
          return json({ ok: true });
        case 'faults':
          control.injectFaults(input.fault, input.times ?? 1);
          return json({ ok: true });
        case 'push':
          // The simulator's stand-in for JD's (unsourced) message subscription.
          control.registerPush(input.appKey, input.deptNo, input.callbackUrl);
          return json({ ok: true });
        case 'push/options':
          control.setPushOptions(input);
          return json({ ok: true });
        case 'received':
          return json(control.received());
        default:
          return json({ error: `unknown control ${path}` }, 404);
      }
    } catch (error) {
      return json({ error: error instanceof Error ? error.message : String(error) }, 400);
    }
  }

  return { handler, control };
}

export type JdSimulatorControl = ReturnType<typeof createJdSimulator>['control'];

/** In-process simulator over real HTTP: `url` serves /routerjson, /oauth2/*, /__control/*. */
export async function startJdSimulator(options: JdSimulatorOptions & { port?: number } = {}) {
  const simulator = createJdSimulator(options);
  const server = await listen(simulator.handler, options.port ?? 0);
  return {
    url: server.url,
    routerUrl: `${server.url}/routerjson`,
    pushRegistrationUrl: `${server.url}/__control/push`,
    ...simulator.control,
    close: server.close,
  };
}

export interface JdSimWarehouse {
  warehouseNo: string;
  warehouseName: string;
}

export const JD_DEMO_WAREHOUSES: readonly JdSimWarehouse[] = [
  { warehouseNo: '110000001', warehouseName: 'Bangkok Lat Krabang' },
  { warehouseNo: '110000002', warehouseName: 'Jakarta Cikarang' },
];

/**
 * Demo seed: the app, its department with warehouses (default JD_DEMO_WAREHOUSES), `usableNum`
 * 100 of each SKU in every warehouse (`skus`: a count of generated SKUs, default 20, or the SKU
 * codes themselves), and an access token for binding without the OAuth round trip (the
 * auto-approving /oauth2/to_login works as well).
 */
export function seedJdDemo(
  control: JdSimulatorControl,
  input: { appKey: string; appSecret: string; deptNo: string; warehouses?: readonly JdSimWarehouse[]; skus?: number | readonly string[]; accessToken?: string },
): { accessToken: string; skus: string[] } {
  control.addApp(input.appKey, input.appSecret);
  const warehouses = input.warehouses ?? JD_DEMO_WAREHOUSES;
  control.addDept(input.deptNo, [...warehouses]);
  const skus = typeof input.skus === 'object' ? { skus: input.skus } : { count: input.skus ?? 20 };
  let seeded: string[] = [];
  for (const { warehouseNo } of warehouses) seeded = control.seedStock({ deptNo: input.deptNo, warehouseNo, usableNum: 100, ...skus });
  return { accessToken: control.issueToken(input.appKey, input.accessToken), skus: seeded };
}
