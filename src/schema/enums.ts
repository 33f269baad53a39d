// GraphQL enums mirrored from the Prisma schema, so the database and the API share one list.
import {
  CancellationStatus as CancellationStatusValues,
  Channel as ChannelValues,
  CountryCode as CountryCodeValues,
  InboundSource as InboundSourceValues,
  InboundStatus as InboundStatusValues,
  IntegrationStatus as IntegrationStatusValues,
  JdBindingMode as JdBindingModeValues,
  MasterSkuStatus as MasterSkuStatusValues,
  OrderStatus as OrderStatusValues,
  Provider as ProviderValues,
  PushStatus as PushStatusValues,
  Role as RoleValues,
  ShippingType as ShippingTypeValues,
  StatusDelivery as StatusDeliveryValues,
  StockMovementReason as StockMovementReasonValues,
  WarehouseKind as WarehouseKindValues,
  WarehouseStatus as WarehouseStatusValues,
} from '../generated/prisma/enums.ts';
import { builder } from './builder.ts';

export const Role = builder.enumType(RoleValues, { name: 'Role' });
export const Provider = builder.enumType(ProviderValues, { name: 'Provider' });
export const CountryCode = builder.enumType(CountryCodeValues, {
  name: 'CountryCode',
  description: 'ISO 3166-1 alpha-2 codes of the markets served.',
});
export const Channel = builder.enumType(ChannelValues, { name: 'Channel', description: 'A sales channel (marketplace or shop platform).' });
export const MasterSkuStatus = builder.enumType(MasterSkuStatusValues, { name: 'MasterSkuStatus' });
export const WarehouseKind = builder.enumType(WarehouseKindValues, {
  name: 'WarehouseKind',
  description: "OWN: the merchant's own warehouse. THIRD_PARTY: run by a 3PL provider (ECCANG, JD).",
});
export const WarehouseStatus = builder.enumType(WarehouseStatusValues, { name: 'WarehouseStatus' });
export const PushStatus = builder.enumType(PushStatusValues, {
  name: 'PushStatus',
  description: 'Progress of sending something to the warehouse provider.',
});
export const StockMovementReason = builder.enumType(StockMovementReasonValues, { name: 'StockMovementReason' });
export const InboundSource = builder.enumType(InboundSourceValues, { name: 'InboundSource' });
export const InboundStatus = builder.enumType(InboundStatusValues, { name: 'InboundStatus' });
export const OrderStatus = builder.enumType(OrderStatusValues, { name: 'OrderStatus' });
export const ShippingType = builder.enumType(ShippingTypeValues, { name: 'ShippingType' });
export const CancellationStatus = builder.enumType(CancellationStatusValues, { name: 'CancellationStatus' });
export const IntegrationStatus = builder.enumType(IntegrationStatusValues, {
  name: 'IntegrationStatus',
  description: 'PENDING_AUTHORIZATION: waiting for JD login. ACTIVE: work flows. AUTH_FAILED: the provider refused the credentials; rotate them. DISABLED: paused by the merchant. UNBOUND: credentials forgotten, records kept.',
});
export const StatusDelivery = builder.enumType(StatusDeliveryValues, {
  name: 'StatusDelivery',
  description: 'PUSH: the provider sends status messages (webhooks). POLL: the gateway asks on a schedule.',
});
export const JdBindingMode = builder.enumType(JdBindingModeValues, {
  name: 'JdBindingMode',
  description: "QUICK: the platform's JD app, for merchants under ~1,000 daily orders. BASIC: the merchant's own JD app key and secret.",
});
