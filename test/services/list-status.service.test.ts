import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundStatusMachine } from '../../src/domain/inbound-status.ts';
import { InboundStatus, type OutboundStatus, type StockMovementReason } from '../../src/generated/prisma/enums.ts';
import type { InboundState, OutboundState } from '../../src/providers/types.ts';
import { applyInboundState, applyOutboundState, type ListStateResult } from '../../src/services/list-status.service.ts';
import { applyStockMovements } from '../../src/services/stock.service.ts';
import { TestApp } from '../helpers/app.ts';
import { createThirdPartyWarehouse } from '../helpers/fixtures.ts';

describe('the list status service', () => {
  let t: TestApp;
  let sequence = 0;

  beforeAll(async () => {
    t = await TestApp.create();
  });
  afterAll(() => t?.close());

  /** A merchant with a 3PL warehouse and the Master SKUs MUG, BOWL and CUP placed in it (CUP as JD goods G-CUP). */
  async function warehouseWithSkus() {
    const n = ++sequence;
    const merchant = await t.db.prisma.merchant.create({ data: { name: `Lists ${n}` } });
    const warehouse = await createThirdPartyWarehouse(t, merchant.id, { provider: 'ECCANG', code: `WH${n}`, name: `ECCANG ${n}` });
    const skus: Record<string, string> = {};
    for (const sku of ['MUG', 'BOWL', 'CUP']) {
      const masterSku = await t.db.prisma.masterSku.create({ data: { merchantId: merchant.id, sku, name: sku } });
      await t.db.prisma.warehouseProduct.create({
        data: {
          merchantId: merchant.id,
          warehouseId: warehouse.id,
          masterSkuId: masterSku.id,
          pushStatus: 'PUSHED',
          providerSkuId: sku === 'CUP' ? 'G-CUP' : null,
        },
      });
      skus[sku] = masterSku.id;
    }
    type Deltas = { onHandDelta?: number; lockedDelta?: number; incomingDelta?: number };
    const move = (masterSkuId: string, reason: StockMovementReason, deltas: Deltas, reference?: { type: string; id: string }) =>
      t.db.prisma.$transaction((tx) =>
        applyStockMovements(tx, [
          {
            merchantId: merchant.id,
            warehouseId: warehouse.id,
            masterSkuId,
            reason,
            ...deltas,
            referenceType: reference?.type,
            referenceId: reference?.id,
            actor: 'test',
            idempotencyKey: crypto.randomUUID(),
          },
        ]),
      );
    const record = (sku: string) =>
      t.db.prisma.stockRecord.findUnique({ where: { warehouseId_masterSkuId: { warehouseId: warehouse.id, masterSkuId: skus[sku]! } } });
    return { n, merchant, warehouse, skus, move, record };
  }
  type World = Awaited<ReturnType<typeof warehouseWithSkus>>;

  /** An inbound list of MUG × 10 and BOWL × 4; pushed (incoming counted) unless told otherwise. */
  async function inboundList(world: World, options: { providerRef?: string | null; status?: InboundStatus; pushed?: boolean } = {}) {
    const code = `IN-${world.n}-${++sequence}`;
    const list = await t.db.prisma.inboundList.create({
      data: {
        merchantId: world.merchant.id,
        warehouseId: world.warehouse.id,
        code,
        pushStatus: 'PUSHED',
        status: options.status ?? 'SUBMITTED',
        providerRef: options.providerRef === undefined ? `RV-${code}` : options.providerRef,
        lines: { create: [{ masterSkuId: world.skus.MUG!, quantity: 10 }, { masterSkuId: world.skus.BOWL!, quantity: 4 }] },
      },
    });
    if (options.pushed !== false) {
      for (const [sku, quantity] of [['MUG', 10], ['BOWL', 4]] as const) {
        await world.move(world.skus[sku]!, 'INBOUND_PUSHED', { incomingDelta: quantity }, { type: 'INBOUND_LIST', id: list.id });
      }
    }
    const state = (status: InboundStatus, rawStatus: string, received: Partial<Record<string, number>> = {}): InboundState => ({
      providerRef: `RV-${code}`,
      reference: code,
      rawStatus,
      status,
      lines: [
        { sku: 'MUG', quantity: 10, received: received.MUG ?? 0 },
        { sku: 'BOWL', quantity: 4, received: received.BOWL ?? 0 },
      ],
    });
    const apply = (status: InboundStatus, rawStatus: string, received?: Partial<Record<string, number>>, source: 'WEBHOOK' | 'POLL' = 'WEBHOOK') =>
      applyInboundState(t.db, {
        merchantId: world.merchant.id,
        warehouseId: world.warehouse.id,
        state: state(status, rawStatus, received),
        source,
        actor: 'test',
      });
    return { list, code, state, apply };
  }

  /** An outbound list of MUG × 3 and BOWL × 2 for a new order; its stock locked when `locked`. */
  async function outboundList(world: World, options: { locked?: boolean; status?: OutboundStatus } = {}) {
    const code = `OUT-${world.n}-${++sequence}`;
    const store = await t.db.prisma.store.create({
      data: { merchantId: world.merchant.id, channel: 'SHOPEE', country: 'TH', name: `Shop ${code}`, externalId: code },
    });
    const order = await t.db.prisma.order.create({
      data: {
        merchantId: world.merchant.id,
        storeId: store.id,
        channelOrderNo: code,
        channel: 'SHOPEE',
        country: 'TH',
        status: 'READY_TO_SHIP',
        shippingType: 'EXPRESS',
      },
    });
    const list = await t.db.prisma.outboundList.create({
      data: {
        merchantId: world.merchant.id,
        warehouseId: world.warehouse.id,
        orderId: order.id,
        code,
        pushStatus: 'PUSHED',
        status: options.status ?? 'CREATED',
        providerRef: `SO-${code}`,
        lines: { create: [{ masterSkuId: world.skus.MUG!, quantity: 3 }, { masterSkuId: world.skus.BOWL!, quantity: 2 }] },
      },
    });
    if (options.locked) {
      for (const [sku, quantity] of [['MUG', 3], ['BOWL', 2]] as const) {
        await world.move(world.skus[sku]!, 'OUTBOUND_LOCKED', { lockedDelta: quantity }, { type: 'OUTBOUND_LIST', id: list.id });
      }
    }
    const apply = (status: OutboundStatus, rawStatus: string, trackingNumber: string | null = null) =>
      applyOutboundState(t.db, {
        merchantId: world.merchant.id,
        warehouseId: world.warehouse.id,
        state: { providerRef: `SO-${code}`, reference: code, rawStatus, status, trackingNumber, changedAt: null } satisfies OutboundState,
        source: 'POLL',
        actor: 'poller',
      });
    return { list, code, apply };
  }

  const changesOf = (subjectId: string) =>
    t.db.prisma.statusChange.findMany({
      where: { subjectId },
      orderBy: { id: 'asc' },
      select: { fromStatus: true, toStatus: true, source: true, detail: true },
    });
  const movementsOf = (referenceId: string) =>
    t.db.prisma.stockMovement.findMany({
      where: { referenceId },
      orderBy: { id: 'asc' },
      include: { stockRecord: { select: { masterSkuId: true } } },
    });
  const levels = (record: { onHand: number; locked: number; incoming: number } | null) =>
    record && { onHand: record.onHand, locked: record.locked, incoming: record.incoming };

  /** Records of the merchant whose quantities differ from the sum of their ledger. */
  async function ledgerMismatches(merchantId: string) {
    const records = await t.db.prisma.stockRecord.findMany({ where: { merchantId } });
    const sums = await t.db.prisma.stockMovement.groupBy({
      by: ['stockRecordId'],
      where: { merchantId },
      _sum: { onHandDelta: true, lockedDelta: true, incomingDelta: true },
    });
    const byRecord = new Map(sums.map((sum) => [sum.stockRecordId, sum._sum]));
    return records.filter((record) => {
      const sum = byRecord.get(record.id);
      return record.onHand !== (sum?.onHandDelta ?? 0) || record.locked !== (sum?.lockedDelta ?? 0) || record.incoming !== (sum?.incomingDelta ?? 0);
    });
  }

  const changed = <S extends string>(result: ListStateResult<S>) => (result.notFound ? 'NOT_FOUND' : result.changed);

  describe('inbound', () => {
    it('follows the provider forward: one StatusChange per change, raw status refreshed within a status, stock received at the end', async () => {
      // given
      const world = await warehouseWithSkus();
      const { list, apply } = await inboundList(world);

      // when
      const results = [
        await apply('IN_TRANSIT', '7'),
        await apply('RECEIVING', '8', { MUG: 4 }),
        await apply('RECEIVING', '9', { MUG: 9, BOWL: 4 }),
        await apply('COMPLETED', '10', { MUG: 9, BOWL: 4 }),
      ];

      // then
      expect(results.map((result) => (result.notFound ? null : [result.from, result.to, result.changed, result.updated]))).toEqual([
        ['SUBMITTED', 'IN_TRANSIT', true, true],
        ['IN_TRANSIT', 'RECEIVING', true, true],
        ['RECEIVING', 'RECEIVING', false, true],
        ['RECEIVING', 'COMPLETED', true, true],
      ]);
      expect(await changesOf(list.id)).toEqual([
        {
          fromStatus: 'SUBMITTED',
          toStatus: 'IN_TRANSIT',
          source: 'WEBHOOK',
          detail: expect.objectContaining({ rawStatus: '7', providerRef: list.providerRef }),
        },
        { fromStatus: 'IN_TRANSIT', toStatus: 'RECEIVING', source: 'WEBHOOK', detail: expect.objectContaining({ rawStatus: '8' }) },
        { fromStatus: 'RECEIVING', toStatus: 'COMPLETED', source: 'WEBHOOK', detail: expect.objectContaining({ rawStatus: '10' }) },
      ]);
      const stored = await t.db.prisma.inboundList.findUniqueOrThrow({
        where: { id: list.id },
        include: { lines: { orderBy: { quantity: 'desc' } } },
      });
      expect(stored).toMatchObject({ status: 'COMPLETED', providerStatusRaw: '10', completedAt: expect.any(Date), stockAppliedAt: expect.any(Date) });
      expect(stored.lines.map((line) => line.receivedQuantity)).toEqual([9, 4]);
      expect(levels(await world.record('MUG'))).toEqual({ onHand: 9, locked: 0, incoming: 0 });
      expect(levels(await world.record('BOWL'))).toEqual({ onHand: 4, locked: 0, incoming: 0 });
      const last = results[3]!;
      expect(last.notFound === false && last.movements.map((applied) => [applied.status, applied.movement.reason])).toEqual([
        ['APPLIED', 'INBOUND_RECEIVED'],
        ['APPLIED', 'INBOUND_RECEIVED'],
      ]);
      expect(last.notFound === false && last.statusChange).toMatchObject({ toStatus: 'COMPLETED', id: expect.any(BigInt) });
      expect(await ledgerMismatches(world.merchant.id)).toEqual([]);
    });

    it('ignores a duplicate and a late older state: nothing written, no row', async () => {
      // given
      const world = await warehouseWithSkus();
      const { list, apply } = await inboundList(world);
      await apply('RECEIVING', '8', { MUG: 2 });
      const before = await t.db.prisma.inboundList.findUniqueOrThrow({ where: { id: list.id }, include: { lines: true } });

      // when
      const duplicate = await apply('RECEIVING', '8', { MUG: 2 });
      const late = await apply('IN_TRANSIT', '7', { MUG: 0 });
      const older = await apply('SUBMITTED', '1');

      // then
      for (const result of [duplicate, late, older]) {
        expect(result).toMatchObject({ notFound: false, changed: false, updated: false, to: 'RECEIVING', statusChange: null, movements: [] });
      }
      expect(await t.db.prisma.inboundList.findUniqueOrThrow({ where: { id: list.id }, include: { lines: true } })).toEqual(before);
      expect(await changesOf(list.id)).toHaveLength(1);
    });

    it('applies COMPLETED once, whether it arrives twice in a row or several times at once', async () => {
      // given
      const world = await warehouseWithSkus();
      const first = await inboundList(world);
      const second = await inboundList(world);

      // when
      const again = [await first.apply('COMPLETED', '10', { MUG: 10, BOWL: 3 }), await first.apply('COMPLETED', '10', { MUG: 10, BOWL: 3 })];
      const concurrent = await Promise.all(
        Array.from({ length: 4 }, (_, index) => second.apply('COMPLETED', '10', { MUG: 10, BOWL: 3 }, index % 2 ? 'POLL' : 'WEBHOOK')),
      );

      // then
      expect(again.map(changed)).toEqual([true, false]);
      expect(concurrent.map(changed).sort()).toEqual([false, false, false, true]);
      for (const list of [first.list, second.list]) {
        expect((await movementsOf(list.id)).map((movement) => movement.reason).sort()).toEqual([
          'INBOUND_PUSHED',
          'INBOUND_PUSHED',
          'INBOUND_RECEIVED',
          'INBOUND_RECEIVED',
        ]);
        expect(await changesOf(list.id)).toHaveLength(1);
      }
      expect(levels(await world.record('MUG'))).toEqual({ onHand: 20, locked: 0, incoming: 0 });
      expect(levels(await world.record('BOWL'))).toEqual({ onHand: 6, locked: 0, incoming: 0 });
      expect(await ledgerMismatches(world.merchant.id)).toEqual([]);
    });

    it('adds what was received but takes nothing off incoming for a list that never counted as incoming', async () => {
      // given
      const world = await warehouseWithSkus();
      const pushed = await inboundList(world);
      const { apply } = await inboundList(world, { pushed: false });

      // when
      await apply('COMPLETED', '10', { MUG: 7, BOWL: 4 });

      // then
      expect(levels(await world.record('MUG'))).toEqual({ onHand: 7, locked: 0, incoming: 10 });
      expect(levels(await world.record('BOWL'))).toEqual({ onHand: 4, locked: 0, incoming: 4 });
      expect(await movementsOf(pushed.list.id)).toHaveLength(2);
      expect(await ledgerMismatches(world.merchant.id)).toEqual([]);
    });

    it.each([
      ['CANCELLED', '100'],
      ['REJECTED', '2'],
    ] as const)('releases the incoming of a pushed list on %s, and of an unpushed one changes nothing', async (status, raw) => {
      // given
      const world = await warehouseWithSkus();
      const pushed = await inboundList(world);
      const unpushed = await inboundList(world, { pushed: false });

      // when
      const released = await pushed.apply(status, raw);
      const untouched = await unpushed.apply(status, raw);

      // then
      expect(released).toMatchObject({
        changed: true,
        to: status,
        movements: [{ movement: { reason: 'INBOUND_CANCELLED' } }, { movement: { reason: 'INBOUND_CANCELLED' } }],
      });
      expect(untouched).toMatchObject({ changed: true, to: status, movements: [] });
      expect(levels(await world.record('MUG'))).toEqual({ onHand: 0, locked: 0, incoming: 0 });
      expect(await t.db.prisma.inboundList.findUniqueOrThrow({ where: { id: unpushed.list.id } })).toMatchObject({
        status,
        stockAppliedAt: expect.any(Date),
        completedAt: null,
      });
      expect(await ledgerMismatches(world.merchant.id)).toEqual([]);
    });

    it('reads received quantities per line: by SKU code or provider product id, split lines added up, unknown SKUs ignored', async () => {
      // given
      const world = await warehouseWithSkus();
      const list = await t.db.prisma.inboundList.create({
        data: {
          merchantId: world.merchant.id,
          warehouseId: world.warehouse.id,
          code: `IN-LINES-${world.n}`,
          status: 'SUBMITTED',
          providerRef: 'PO-LINES',
          lines: {
            create: [
              { masterSkuId: world.skus.MUG!, quantity: 10, receivedQuantity: 1 },
              { masterSkuId: world.skus.BOWL!, quantity: 5, receivedQuantity: 2 },
              { masterSkuId: world.skus.CUP!, quantity: 6 },
            ],
          },
        },
      });

      // when
      const result = await applyInboundState(t.db, {
        merchantId: world.merchant.id,
        warehouseId: world.warehouse.id,
        state: {
          providerRef: 'PO-LINES',
          reference: list.code,
          rawStatus: '70',
          status: 'COMPLETED',
          lines: [
            { sku: 'MUG', quantity: 5, received: 5 },
            { sku: 'MUG', quantity: 5, received: 4 },
            { sku: 'G-CUP', quantity: 6, received: 6 },
            { sku: 'NOT-OURS', quantity: 3, received: 3 },
          ],
        },
        source: 'POLL',
        actor: 'poller',
      });

      // then
      expect(result).toMatchObject({ changed: true, to: 'COMPLETED' });
      const lines = await t.db.prisma.inboundLine.findMany({ where: { inboundListId: list.id }, include: { masterSku: true } });
      expect(Object.fromEntries(lines.map((line) => [line.masterSku.sku, line.receivedQuantity]))).toEqual({ MUG: 9, BOWL: 2, CUP: 6 });
      expect(levels(await world.record('MUG'))).toMatchObject({ onHand: 9 });
      expect(levels(await world.record('BOWL'))).toMatchObject({ onHand: 2 });
      expect(levels(await world.record('CUP'))).toMatchObject({ onHand: 6 });
    });

    it('finds a list by our code until its providerRef is stored, then only by that providerRef', async () => {
      // given
      const world = await warehouseWithSkus();
      const { list, state, code } = await inboundList(world, { providerRef: null });
      const apply = (providerRef: string, status: InboundStatus) =>
        applyInboundState(t.db, {
          merchantId: world.merchant.id,
          warehouseId: world.warehouse.id,
          state: { ...state(status, status), providerRef },
          source: 'WEBHOOK',
          actor: 'test',
        });

      // when
      const byCode = await apply(`RV-${code}`, 'IN_TRANSIT');
      const otherRef = await apply('RV-SOMETHING-ELSE', 'RECEIVING');
      const byRef = await applyInboundState(t.db, {
        merchantId: world.merchant.id,
        warehouseId: world.warehouse.id,
        state: { ...state('RECEIVING', '8'), reference: 'NOT-OUR-CODE' },
        source: 'WEBHOOK',
        actor: 'test',
      });

      // then
      expect(byCode).toMatchObject({ notFound: false, listId: list.id, changed: true });
      expect(otherRef).toEqual({ notFound: true });
      expect(byRef).toMatchObject({ notFound: false, listId: list.id, to: 'RECEIVING' });
      expect(await t.db.prisma.inboundList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({
        providerRef: `RV-${code}`,
        status: 'RECEIVING',
      });
    });

    it("reports an unknown providerRef as not found, and never touches another merchant's list with the same providerRef", async () => {
      // given
      const mine = await warehouseWithSkus();
      const theirs = await warehouseWithSkus();
      const { list: myList } = await inboundList(mine, { providerRef: 'RV-SHARED' });
      const { list: theirList } = await inboundList(theirs, { providerRef: 'RV-SHARED' });
      const state: InboundState = {
        providerRef: 'RV-SHARED',
        reference: myList.code,
        rawStatus: '10',
        status: 'COMPLETED',
        lines: [{ sku: 'MUG', quantity: 10, received: 10 }],
      };
      const applyAs = (merchantId: string, warehouseId: string, reported: InboundState) =>
        applyInboundState(t.db, { merchantId, warehouseId, state: reported, source: 'WEBHOOK', actor: 'test' });

      // when
      const unknown = await applyAs(mine.merchant.id, mine.warehouse.id, { ...state, providerRef: 'RV-UNKNOWN', reference: 'IN-UNKNOWN' });
      const crossWarehouse = await applyAs(mine.merchant.id, theirs.warehouse.id, state);
      const applied = await applyAs(mine.merchant.id, mine.warehouse.id, state);

      // then
      expect(unknown).toEqual({ notFound: true });
      expect(crossWarehouse).toEqual({ notFound: true });
      expect(applied).toMatchObject({ notFound: false, listId: myList.id, changed: true });
      expect(await t.db.prisma.inboundList.findUniqueOrThrow({ where: { id: theirList.id } })).toMatchObject({
        status: 'SUBMITTED',
        stockAppliedAt: null,
        providerStatusRaw: null,
      });
      expect(await changesOf(theirList.id)).toEqual([]);
      expect(levels(await theirs.record('MUG'))).toEqual({ onHand: 0, locked: 0, incoming: 10 });
    });

    it('leaves CANCELLING for the progress reached when the cancel fails, but not for a stale earlier status', async () => {
      // given
      const world = await warehouseWithSkus();
      const { list, apply } = await inboundList(world);
      await apply('IN_TRANSIT', '7');
      await apply('CANCELLING', '90');

      // when
      const stale = await apply('SUBMITTED', '92');
      const resumed = await apply('IN_TRANSIT', '7');

      // then
      expect(stale).toMatchObject({ changed: false, to: 'CANCELLING' });
      expect(resumed).toMatchObject({ changed: true, from: 'CANCELLING', to: 'IN_TRANSIT' });
      expect((await changesOf(list.id)).map((change) => change.toStatus)).toEqual(['IN_TRANSIT', 'CANCELLING', 'IN_TRANSIT']);
    });

    it('ends every random sequence of reports where the status machine does, with one row per change and stock settled at most once', async () => {
      const world = await warehouseWithSkus();
      const statuses = Object.values(InboundStatus);
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom(...statuses), { maxLength: 8 }), async (reports) => {
          // given
          const { list, apply } = await inboundList(world);
          let expected = { status: list.status as InboundStatus, reached: list.status as InboundStatus };
          let changes = 0;

          // when
          for (const [index, reported] of reports.entries()) {
            const result = await apply(reported, `raw-${index}`, { MUG: 10, BOWL: 4 });
            const step = inboundStatusMachine.next(expected.status, reported, expected.reached);
            expect(result).toMatchObject({ changed: step.changed, to: step.status });
            expected = { status: step.status, reached: step.reached };
            if (step.changed) changes++;
          }

          // then
          const stored = await t.db.prisma.inboundList.findUniqueOrThrow({ where: { id: list.id } });
          expect(stored.status).toBe(expected.status);
          expect(await changesOf(list.id)).toHaveLength(changes);
          const settlements = (await movementsOf(list.id)).filter((movement) => movement.reason !== 'INBOUND_PUSHED');
          expect(settlements).toHaveLength(inboundStatusMachine.isFinal(expected.status) ? 2 : 0);
          expect(stored.stockAppliedAt !== null).toBe(inboundStatusMachine.isFinal(expected.status));
        }),
        { numRuns: 20 },
      );
      expect(await ledgerMismatches(world.merchant.id)).toEqual([]);
    });
  });

  describe('outbound', () => {
    it('follows the provider through a hold to completion, storing the tracking number', async () => {
      // given
      const world = await warehouseWithSkus();
      await world.move(world.skus.MUG!, 'INBOUND_RECEIVED', { onHandDelta: 10 });
      await world.move(world.skus.BOWL!, 'INBOUND_RECEIVED', { onHandDelta: 10 });
      const { list, apply } = await outboundList(world, { locked: true });

      // when
      const results = [
        await apply('ACCEPTED', 'W'),
        await apply('PICKING', '10014'),
        await apply('ON_HOLD', 'H'),
        await apply('ACCEPTED', 'W'),
        await apply('PICKING', '10014'),
        await apply('COMPLETED', 'D', 'TRACK-1'),
        await apply('PACKED', '10018'),
      ];

      // then
      expect(results.map(changed)).toEqual([true, true, true, false, true, true, false]);
      expect((await changesOf(list.id)).map((change) => [change.fromStatus, change.toStatus, change.source])).toEqual([
        ['CREATED', 'ACCEPTED', 'POLL'],
        ['ACCEPTED', 'PICKING', 'POLL'],
        ['PICKING', 'ON_HOLD', 'POLL'],
        ['ON_HOLD', 'PICKING', 'POLL'],
        ['PICKING', 'COMPLETED', 'POLL'],
      ]);
      expect(await t.db.prisma.outboundList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({
        status: 'COMPLETED',
        providerStatusRaw: 'D',
        trackingNumber: 'TRACK-1',
        completedAt: expect.any(Date),
        stockAppliedAt: expect.any(Date),
      });
      expect(levels(await world.record('MUG'))).toEqual({ onHand: 7, locked: 0, incoming: 0 });
      expect(levels(await world.record('BOWL'))).toEqual({ onHand: 8, locked: 0, incoming: 0 });
      expect(await ledgerMismatches(world.merchant.id)).toEqual([]);
    });

    it('returns from CANCELLING to the progress reached when the cancel is refused, ignoring an older status', async () => {
      // given
      const world = await warehouseWithSkus();
      const { apply } = await outboundList(world);
      await apply('ACCEPTED', '10012');
      await apply('CANCELLING', 'cancelling');

      // when
      const stale = await apply('CREATED', '10010');
      const refused = await apply('ACCEPTED', '10029');

      // then
      expect(stale).toMatchObject({ changed: false, to: 'CANCELLING' });
      expect(refused).toMatchObject({ changed: true, from: 'CANCELLING', to: 'ACCEPTED' });
    });

    it('ships once: takes the shipped quantity off the shelf and releases the lock, even when COMPLETED arrives concurrently', async () => {
      // given
      const world = await warehouseWithSkus();
      await world.move(world.skus.MUG!, 'INBOUND_RECEIVED', { onHandDelta: 10 });
      await world.move(world.skus.BOWL!, 'INBOUND_RECEIVED', { onHandDelta: 10 });
      const { list, apply } = await outboundList(world, { locked: true, status: 'PACKED' });

      // when
      const results = await Promise.all(Array.from({ length: 3 }, () => apply('COMPLETED', 'D', 'TRACK-2')));

      // then
      expect(results.map(changed).sort()).toEqual([false, false, true]);
      const shipped = (await movementsOf(list.id)).filter((movement) => movement.reason === 'OUTBOUND_SHIPPED');
      expect(shipped.map((movement) => [movement.onHandDelta, movement.lockedDelta, movement.note])).toEqual(
        expect.arrayContaining([
          [-3, -3, `${list.code} shipped 3`],
          [-2, -2, `${list.code} shipped 2`],
        ]),
      );
      expect(shipped).toHaveLength(2);
      expect(levels(await world.record('MUG'))).toEqual({ onHand: 7, locked: 0, incoming: 0 });
      expect(await ledgerMismatches(world.merchant.id)).toEqual([]);
    });

    it('ships an unlocked list off the shelf; cancels release a lock when there is one and change nothing otherwise', async () => {
      // given
      const world = await warehouseWithSkus();
      await world.move(world.skus.MUG!, 'INBOUND_RECEIVED', { onHandDelta: 10 });
      await world.move(world.skus.BOWL!, 'INBOUND_RECEIVED', { onHandDelta: 10 });
      const unlocked = await outboundList(world);
      const lockedThenCancelled = await outboundList(world, { locked: true });
      const cancelledUnlocked = await outboundList(world);

      // when
      await unlocked.apply('COMPLETED', 'D');
      const released = await lockedThenCancelled.apply('CANCELLED', 'X');
      const nothing = await cancelledUnlocked.apply('CANCELLED', 'X');

      // then
      expect(levels(await world.record('MUG'))).toEqual({ onHand: 7, locked: 0, incoming: 0 });
      expect(released).toMatchObject({
        changed: true,
        movements: [{ movement: { reason: 'OUTBOUND_RELEASED' } }, { movement: { reason: 'OUTBOUND_RELEASED' } }],
      });
      expect(nothing).toMatchObject({ changed: true, to: 'CANCELLED', movements: [] });
      expect(await ledgerMismatches(world.merchant.id)).toEqual([]);
    });

    it('ships from a record in shortage without taking on hand below zero, noting what was not deducted', async () => {
      // given: 10 on hand, 3 locked by this list, then a sync finds only 1
      const world = await warehouseWithSkus();
      await world.move(world.skus.MUG!, 'INBOUND_RECEIVED', { onHandDelta: 10 });
      await world.move(world.skus.BOWL!, 'INBOUND_RECEIVED', { onHandDelta: 10 });
      const { list, apply } = await outboundList(world, { locked: true, status: 'PACKED' });
      await world.move(world.skus.MUG!, 'SYNC_ADJUSTMENT', { onHandDelta: -9 });
      expect(await world.record('MUG')).toMatchObject({ onHand: 1, locked: 3, shortage: true });

      // when
      const result = await apply('COMPLETED', 'D');

      // then
      expect(result).toMatchObject({ changed: true, to: 'COMPLETED' });
      expect(await world.record('MUG')).toMatchObject({ onHand: 0, locked: 0, shortage: false });
      const mug = (await movementsOf(list.id)).find(
        (movement) => movement.reason === 'OUTBOUND_SHIPPED' && movement.stockRecord.masterSkuId === world.skus.MUG,
      );
      expect(mug).toMatchObject({ onHandDelta: -1, lockedDelta: -3, note: expect.stringContaining('2 not deducted') });
      expect(await ledgerMismatches(world.merchant.id)).toEqual([]);
    });
  });
});
