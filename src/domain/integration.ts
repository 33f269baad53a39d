// Binding rules that need no database: who a credential set belongs to, and warehouse names.
import { createHash, randomBytes } from 'node:crypto';
import type { IntegrationStatus } from '../generated/prisma/enums.ts';

/**
 * The identity that binds to one merchant only [seed]: ECCANG's token+key set, JD's PIN. Hashed,
 * so the unique index never holds a secret. ECCANG tokens are case-sensitive; JD PINs are not.
 */
export function eccangFingerprint(appToken: string, appKey: string): string {
  return sha256(`ECCANG\n${appToken}\n${appKey}`);
}

export function jdFingerprint(pin: string): string {
  return sha256(`JD\n${pin.trim().toLowerCase()}`);
}

/**
 * An unbound integration's identity: released for anyone to bind, but recognisable, so its own
 * merchant binding again gets the old integration back.
 */
export const releasedFingerprint = (fingerprint: string, integrationId: string) => `released:${fingerprint}:${integrationId}`;

/** "[Warehouse Code + Customer Code]" [seed]. */
export const eccangWarehouseName = (warehouseCode: string, customerCode: string) => `${warehouseCode}${customerCode}`;

/** `<warehouseNo>-<deptNo>-<PIN>` [seed]. */
export const jdWarehouseName = (warehouseNo: string, deptNo: string, pin: string) => `${warehouseNo}-${deptNo}-${pin}`;

/** Unguessable values: webhook URL tokens and OAuth `state`. */
export const randomToken = () => randomBytes(24).toString('base64url');

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** Which integrations send work to and take work from their provider. */
export const isLive = (status: IntegrationStatus) => status === 'ACTIVE';
