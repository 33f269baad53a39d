-- CreateEnum
CREATE TYPE "Role" AS ENUM ('OWNER', 'STAFF', 'SUPPORT', 'SERVICE');

-- CreateEnum
CREATE TYPE "Provider" AS ENUM ('ECCANG', 'JD');

-- CreateEnum
CREATE TYPE "JdBindingMode" AS ENUM ('QUICK', 'BASIC');

-- CreateEnum
CREATE TYPE "IntegrationStatus" AS ENUM ('PENDING_AUTHORIZATION', 'ACTIVE', 'AUTH_FAILED', 'DISABLED', 'UNBOUND');

-- CreateEnum
CREATE TYPE "StatusDelivery" AS ENUM ('PUSH', 'POLL');

-- CreateEnum
CREATE TYPE "WarehouseKind" AS ENUM ('OWN', 'THIRD_PARTY');

-- CreateEnum
CREATE TYPE "WarehouseStatus" AS ENUM ('ACTIVE', 'VANISHED', 'DISABLED');

-- CreateEnum
CREATE TYPE "CountryCode" AS ENUM ('ID', 'TH', 'PH', 'MY', 'VN', 'SG');

-- CreateEnum
CREATE TYPE "MasterSkuStatus" AS ENUM ('ACTIVE', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('SHOPEE', 'LAZADA', 'TOKOPEDIA', 'TIKTOK', 'BLIBLI', 'BUKALAPAK', 'WOOCOMMERCE', 'SHOPIFY', 'OTHER');

-- CreateEnum
CREATE TYPE "PushStatus" AS ENUM ('NOT_REQUIRED', 'PENDING', 'PUSHING', 'PUSHED', 'FAILED');

-- CreateEnum
CREATE TYPE "StockMovementReason" AS ENUM ('INBOUND_RECEIVED', 'INBOUND_PUSHED', 'INBOUND_CANCELLED', 'OUTBOUND_LOCKED', 'OUTBOUND_RELEASED', 'OUTBOUND_SHIPPED', 'SYNC_ADJUSTMENT', 'MANUAL_ADJUSTMENT', 'IMPORT');

-- CreateEnum
CREATE TYPE "InboundSource" AS ENUM ('MANUAL', 'SKU_CREATION', 'IMPORT', 'STOCK_INCREASE');

-- CreateEnum
CREATE TYPE "InboundStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'IN_TRANSIT', 'RECEIVING', 'COMPLETED', 'REJECTED', 'CANCELLING', 'CANCELLED');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('UNPAID', 'READY_TO_SHIP', 'SHIPPING', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'RETURNED');

-- CreateEnum
CREATE TYPE "ShippingType" AS ENUM ('EXPRESS', 'STANDARD', 'ECONOMY', 'INSTANT', 'SELF_PICKUP');

-- CreateEnum
CREATE TYPE "CancellationStatus" AS ENUM ('NONE', 'REQUESTED', 'ACCEPTED', 'REJECTED');

-- CreateEnum
CREATE TYPE "OutboundStatus" AS ENUM ('CREATED', 'ACCEPTED', 'PICKING', 'PACKED', 'COMPLETED', 'ON_HOLD', 'EXCEPTION', 'CANCELLING', 'CANCELLED');

-- CreateEnum
CREATE TYPE "StockSyncScope" AS ENUM ('SKUS', 'WAREHOUSE');

-- CreateEnum
CREATE TYPE "StockSyncTrigger" AS ENUM ('USER', 'SCHEDULE');

-- CreateEnum
CREATE TYPE "StockSyncStatus" AS ENUM ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "StatusSubject" AS ENUM ('INBOUND_LIST', 'OUTBOUND_LIST', 'INTEGRATION', 'STOCK_SYNC', 'WAREHOUSE_PRODUCT');

-- CreateEnum
CREATE TYPE "ChangeSource" AS ENUM ('WEBHOOK', 'POLL', 'USER', 'SYSTEM');

-- CreateEnum
CREATE TYPE "InboxStatus" AS ENUM ('RECEIVED', 'PROCESSED', 'FAILED');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'DEAD');

-- CreateTable
CREATE TABLE "Merchant" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'Asia/Jakarta',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Merchant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT,
    "role" "Role" NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "apiTokenId" TEXT NOT NULL,
    "merchantId" TEXT,
    "operationName" TEXT,
    "operationType" TEXT NOT NULL,
    "document" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Integration" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "provider" "Provider" NOT NULL,
    "name" TEXT NOT NULL,
    "status" "IntegrationStatus" NOT NULL DEFAULT 'PENDING_AUTHORIZATION',
    "statusDelivery" "StatusDelivery" NOT NULL DEFAULT 'POLL',
    "jdMode" "JdBindingMode",
    "baseUrl" TEXT,
    "customerCode" TEXT,
    "accountId" TEXT,
    "credentialFingerprint" TEXT NOT NULL,
    "credentialsEncrypted" TEXT NOT NULL,
    "credentialsHint" TEXT NOT NULL,
    "webhookToken" TEXT NOT NULL,
    "accessTokenExpiresAt" TIMESTAMP(3),
    "lastVerifiedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "disabledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Integration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OAuthState" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "integrationId" TEXT NOT NULL,
    "stateHash" TEXT NOT NULL,
    "subscribeMessages" BOOLEAN NOT NULL DEFAULT false,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OAuthState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Warehouse" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "integrationId" TEXT,
    "kind" "WarehouseKind" NOT NULL,
    "provider" "Provider",
    "providerCode" TEXT,
    "name" TEXT NOT NULL,
    "status" "WarehouseStatus" NOT NULL DEFAULT 'ACTIVE',
    "autoSync" BOOLEAN NOT NULL DEFAULT false,
    "country" "CountryCode",
    "vanishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Warehouse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MasterSku" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "MasterSkuStatus" NOT NULL DEFAULT 'ACTIVE',
    "barcode" TEXT,
    "weightGrams" INTEGER,
    "lengthMm" INTEGER,
    "widthMm" INTEGER,
    "heightMm" INTEGER,
    "declaredValueCents" INTEGER,
    "declaredName" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MasterSku_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Store" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "country" "CountryCode" NOT NULL,
    "name" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Store_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelSku" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT,
    "masterSkuId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelSku_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShippingRule" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "warehouseId" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShippingRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WarehouseProduct" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "warehouseId" TEXT NOT NULL,
    "masterSkuId" TEXT NOT NULL,
    "pushStatus" "PushStatus" NOT NULL DEFAULT 'PENDING',
    "providerSkuId" TEXT,
    "lastPushError" TEXT,
    "pushedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WarehouseProduct_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StockRecord" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "warehouseId" TEXT NOT NULL,
    "masterSkuId" TEXT NOT NULL,
    "onHand" INTEGER NOT NULL DEFAULT 0,
    "locked" INTEGER NOT NULL DEFAULT 0,
    "incoming" INTEGER NOT NULL DEFAULT 0,
    "shortage" BOOLEAN NOT NULL DEFAULT false,
    "lastSyncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StockRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StockMovement" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "stockRecordId" TEXT NOT NULL,
    "reason" "StockMovementReason" NOT NULL,
    "onHandDelta" INTEGER NOT NULL DEFAULT 0,
    "lockedDelta" INTEGER NOT NULL DEFAULT 0,
    "incomingDelta" INTEGER NOT NULL DEFAULT 0,
    "referenceType" TEXT,
    "referenceId" TEXT,
    "actor" TEXT NOT NULL,
    "note" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StockMovement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundList" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "warehouseId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "source" "InboundSource" NOT NULL DEFAULT 'MANUAL',
    "pushStatus" "PushStatus" NOT NULL DEFAULT 'PENDING',
    "status" "InboundStatus" NOT NULL DEFAULT 'DRAFT',
    "providerStatusRaw" TEXT,
    "providerRef" TEXT,
    "trackingNumber" TEXT,
    "expectedAt" TIMESTAMP(3),
    "lastPushError" TEXT,
    "pushAttempts" INTEGER NOT NULL DEFAULT 0,
    "pushedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "stockAppliedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InboundList_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InboundLine" (
    "id" TEXT NOT NULL,
    "inboundListId" TEXT NOT NULL,
    "masterSkuId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "receivedQuantity" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "InboundLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "channelOrderNo" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "country" "CountryCode" NOT NULL,
    "status" "OrderStatus" NOT NULL,
    "shippingType" "ShippingType" NOT NULL,
    "logisticsProvider" TEXT,
    "trackingNumber" TEXT,
    "cancellationStatus" "CancellationStatus" NOT NULL DEFAULT 'NONE',
    "recipientName" TEXT,
    "recipientPhone" TEXT,
    "address1" TEXT,
    "city" TEXT,
    "province" TEXT,
    "zipcode" TEXT,
    "ineligibleReasons" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "channelCreatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderItem" (
    "id" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "channelSkuCode" TEXT NOT NULL,
    "channelSkuId" TEXT,
    "masterSkuId" TEXT,
    "warehouseId" TEXT,
    "quantity" INTEGER NOT NULL,
    "unitPriceMinor" INTEGER,

    CONSTRAINT "OrderItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboundList" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "warehouseId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "pushStatus" "PushStatus" NOT NULL DEFAULT 'PENDING',
    "status" "OutboundStatus" NOT NULL DEFAULT 'CREATED',
    "providerStatusRaw" TEXT,
    "providerRef" TEXT,
    "trackingNumber" TEXT,
    "lastPushError" TEXT,
    "pushAttempts" INTEGER NOT NULL DEFAULT 0,
    "pushedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "cancelRequestedAt" TIMESTAMP(3),
    "stockAppliedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OutboundList_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboundLine" (
    "id" TEXT NOT NULL,
    "outboundListId" TEXT NOT NULL,
    "masterSkuId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "OutboundLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StockSync" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "warehouseId" TEXT NOT NULL,
    "scope" "StockSyncScope" NOT NULL,
    "trigger" "StockSyncTrigger" NOT NULL,
    "status" "StockSyncStatus" NOT NULL DEFAULT 'QUEUED',
    "totalSkus" INTEGER NOT NULL DEFAULT 0,
    "processedSkus" INTEGER NOT NULL DEFAULT 0,
    "changedSkus" INTEGER NOT NULL DEFAULT 0,
    "failedSkus" INTEGER NOT NULL DEFAULT 0,
    "resumeCursor" TEXT,
    "error" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StockSync_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StockSyncItem" (
    "id" TEXT NOT NULL,
    "stockSyncId" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "masterSkuId" TEXT,
    "before" INTEGER,
    "after" INTEGER,
    "difference" INTEGER,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StockSyncItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatusChange" (
    "id" BIGSERIAL NOT NULL,
    "merchantId" TEXT NOT NULL,
    "subjectType" "StatusSubject" NOT NULL,
    "subjectId" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "source" "ChangeSource" NOT NULL,
    "detail" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL,
    "provider" "Provider" NOT NULL,
    "integrationId" TEXT,
    "messageId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "InboxStatus" NOT NULL DEFAULT 'RECEIVED',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxCommand" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectType" "StatusSubject" NOT NULL,
    "subjectId" TEXT NOT NULL,
    "payload" JSONB,
    "status" "OutboxStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "dedupeKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OutboxCommand_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProviderCall" (
    "id" TEXT NOT NULL,
    "provider" "Provider" NOT NULL,
    "integrationId" TEXT,
    "method" TEXT NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "errorCode" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProviderCall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JobLease_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "JobRun" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "outcome" TEXT,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ApiToken_merchantId_idx" ON "ApiToken"("merchantId");

-- CreateIndex
CREATE INDEX "AuditLog_merchantId_createdAt_idx" ON "AuditLog"("merchantId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_apiTokenId_createdAt_idx" ON "AuditLog"("apiTokenId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "IdempotencyRecord_merchantId_operation_key_key" ON "IdempotencyRecord"("merchantId", "operation", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Integration_webhookToken_key" ON "Integration"("webhookToken");

-- CreateIndex
CREATE INDEX "Integration_merchantId_idx" ON "Integration"("merchantId");

-- CreateIndex
CREATE UNIQUE INDEX "Integration_provider_credentialFingerprint_key" ON "Integration"("provider", "credentialFingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "OAuthState_stateHash_key" ON "OAuthState"("stateHash");

-- CreateIndex
CREATE INDEX "Warehouse_merchantId_status_idx" ON "Warehouse"("merchantId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Warehouse_merchantId_name_key" ON "Warehouse"("merchantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Warehouse_integrationId_providerCode_key" ON "Warehouse"("integrationId", "providerCode");

-- CreateIndex
CREATE INDEX "MasterSku_merchantId_status_createdAt_idx" ON "MasterSku"("merchantId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MasterSku_merchantId_sku_key" ON "MasterSku"("merchantId", "sku");

-- CreateIndex
CREATE UNIQUE INDEX "Store_merchantId_channel_externalId_key" ON "Store"("merchantId", "channel", "externalId");

-- CreateIndex
CREATE INDEX "ChannelSku_masterSkuId_idx" ON "ChannelSku"("masterSkuId");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelSku_storeId_code_key" ON "ChannelSku"("storeId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "ShippingRule_storeId_warehouseId_key" ON "ShippingRule"("storeId", "warehouseId");

-- CreateIndex
CREATE UNIQUE INDEX "ShippingRule_storeId_priority_key" ON "ShippingRule"("storeId", "priority");

-- CreateIndex
CREATE INDEX "WarehouseProduct_merchantId_masterSkuId_idx" ON "WarehouseProduct"("merchantId", "masterSkuId");

-- CreateIndex
CREATE UNIQUE INDEX "WarehouseProduct_warehouseId_masterSkuId_key" ON "WarehouseProduct"("warehouseId", "masterSkuId");

-- CreateIndex
CREATE INDEX "StockRecord_merchantId_masterSkuId_idx" ON "StockRecord"("merchantId", "masterSkuId");

-- CreateIndex
CREATE UNIQUE INDEX "StockRecord_warehouseId_masterSkuId_key" ON "StockRecord"("warehouseId", "masterSkuId");

-- CreateIndex
CREATE INDEX "StockMovement_stockRecordId_createdAt_idx" ON "StockMovement"("stockRecordId", "createdAt");

-- CreateIndex
CREATE INDEX "StockMovement_merchantId_reason_createdAt_idx" ON "StockMovement"("merchantId", "reason", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "StockMovement_merchantId_idempotencyKey_key" ON "StockMovement"("merchantId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "InboundList_merchantId_status_idx" ON "InboundList"("merchantId", "status");

-- CreateIndex
CREATE INDEX "InboundList_warehouseId_status_idx" ON "InboundList"("warehouseId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "InboundList_merchantId_code_key" ON "InboundList"("merchantId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "InboundLine_inboundListId_masterSkuId_key" ON "InboundLine"("inboundListId", "masterSkuId");

-- CreateIndex
CREATE INDEX "Order_merchantId_status_createdAt_idx" ON "Order"("merchantId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Order_storeId_channelOrderNo_key" ON "Order"("storeId", "channelOrderNo");

-- CreateIndex
CREATE INDEX "OrderItem_orderId_idx" ON "OrderItem"("orderId");

-- CreateIndex
CREATE INDEX "OutboundList_merchantId_status_idx" ON "OutboundList"("merchantId", "status");

-- CreateIndex
CREATE INDEX "OutboundList_merchantId_pushStatus_idx" ON "OutboundList"("merchantId", "pushStatus");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundList_merchantId_code_key" ON "OutboundList"("merchantId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundList_orderId_warehouseId_key" ON "OutboundList"("orderId", "warehouseId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboundLine_outboundListId_masterSkuId_key" ON "OutboundLine"("outboundListId", "masterSkuId");

-- CreateIndex
CREATE INDEX "StockSync_merchantId_createdAt_idx" ON "StockSync"("merchantId", "createdAt");

-- CreateIndex
CREATE INDEX "StockSync_warehouseId_status_idx" ON "StockSync"("warehouseId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "StockSyncItem_stockSyncId_sku_key" ON "StockSyncItem"("stockSyncId", "sku");

-- CreateIndex
CREATE INDEX "StatusChange_merchantId_id_idx" ON "StatusChange"("merchantId", "id");

-- CreateIndex
CREATE INDEX "StatusChange_subjectType_subjectId_id_idx" ON "StatusChange"("subjectType", "subjectId", "id");

-- CreateIndex
CREATE INDEX "WebhookEvent_status_receivedAt_idx" ON "WebhookEvent"("status", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_provider_messageId_key" ON "WebhookEvent"("provider", "messageId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxCommand_dedupeKey_key" ON "OutboxCommand"("dedupeKey");

-- CreateIndex
CREATE INDEX "OutboxCommand_status_nextAttemptAt_idx" ON "OutboxCommand"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "ProviderCall_integrationId_createdAt_idx" ON "ProviderCall"("integrationId", "createdAt");

-- CreateIndex
CREATE INDEX "JobRun_name_startedAt_idx" ON "JobRun"("name", "startedAt");

-- AddForeignKey
ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_apiTokenId_fkey" FOREIGN KEY ("apiTokenId") REFERENCES "ApiToken"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IdempotencyRecord" ADD CONSTRAINT "IdempotencyRecord_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Integration" ADD CONSTRAINT "Integration_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OAuthState" ADD CONSTRAINT "OAuthState_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OAuthState" ADD CONSTRAINT "OAuthState_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Warehouse" ADD CONSTRAINT "Warehouse_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Warehouse" ADD CONSTRAINT "Warehouse_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MasterSku" ADD CONSTRAINT "MasterSku_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Store" ADD CONSTRAINT "Store_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelSku" ADD CONSTRAINT "ChannelSku_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelSku" ADD CONSTRAINT "ChannelSku_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelSku" ADD CONSTRAINT "ChannelSku_masterSkuId_fkey" FOREIGN KEY ("masterSkuId") REFERENCES "MasterSku"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShippingRule" ADD CONSTRAINT "ShippingRule_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShippingRule" ADD CONSTRAINT "ShippingRule_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShippingRule" ADD CONSTRAINT "ShippingRule_warehouseId_fkey" FOREIGN KEY ("warehouseId") REFERENCES "Warehouse"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarehouseProduct" ADD CONSTRAINT "WarehouseProduct_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarehouseProduct" ADD CONSTRAINT "WarehouseProduct_warehouseId_fkey" FOREIGN KEY ("warehouseId") REFERENCES "Warehouse"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WarehouseProduct" ADD CONSTRAINT "WarehouseProduct_masterSkuId_fkey" FOREIGN KEY ("masterSkuId") REFERENCES "MasterSku"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockRecord" ADD CONSTRAINT "StockRecord_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockRecord" ADD CONSTRAINT "StockRecord_warehouseId_fkey" FOREIGN KEY ("warehouseId") REFERENCES "Warehouse"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockRecord" ADD CONSTRAINT "StockRecord_masterSkuId_fkey" FOREIGN KEY ("masterSkuId") REFERENCES "MasterSku"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockMovement" ADD CONSTRAINT "StockMovement_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockMovement" ADD CONSTRAINT "StockMovement_stockRecordId_fkey" FOREIGN KEY ("stockRecordId") REFERENCES "StockRecord"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundList" ADD CONSTRAINT "InboundList_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundList" ADD CONSTRAINT "InboundList_warehouseId_fkey" FOREIGN KEY ("warehouseId") REFERENCES "Warehouse"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundLine" ADD CONSTRAINT "InboundLine_inboundListId_fkey" FOREIGN KEY ("inboundListId") REFERENCES "InboundList"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InboundLine" ADD CONSTRAINT "InboundLine_masterSkuId_fkey" FOREIGN KEY ("masterSkuId") REFERENCES "MasterSku"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderItem" ADD CONSTRAINT "OrderItem_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderItem" ADD CONSTRAINT "OrderItem_channelSkuId_fkey" FOREIGN KEY ("channelSkuId") REFERENCES "ChannelSku"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderItem" ADD CONSTRAINT "OrderItem_masterSkuId_fkey" FOREIGN KEY ("masterSkuId") REFERENCES "MasterSku"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderItem" ADD CONSTRAINT "OrderItem_warehouseId_fkey" FOREIGN KEY ("warehouseId") REFERENCES "Warehouse"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboundList" ADD CONSTRAINT "OutboundList_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboundList" ADD CONSTRAINT "OutboundList_warehouseId_fkey" FOREIGN KEY ("warehouseId") REFERENCES "Warehouse"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboundList" ADD CONSTRAINT "OutboundList_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboundLine" ADD CONSTRAINT "OutboundLine_outboundListId_fkey" FOREIGN KEY ("outboundListId") REFERENCES "OutboundList"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboundLine" ADD CONSTRAINT "OutboundLine_masterSkuId_fkey" FOREIGN KEY ("masterSkuId") REFERENCES "MasterSku"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockSync" ADD CONSTRAINT "StockSync_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockSync" ADD CONSTRAINT "StockSync_warehouseId_fkey" FOREIGN KEY ("warehouseId") REFERENCES "Warehouse"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockSyncItem" ADD CONSTRAINT "StockSyncItem_stockSyncId_fkey" FOREIGN KEY ("stockSyncId") REFERENCES "StockSync"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StockSyncItem" ADD CONSTRAINT "StockSyncItem_masterSkuId_fkey" FOREIGN KEY ("masterSkuId") REFERENCES "MasterSku"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatusChange" ADD CONSTRAINT "StatusChange_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEvent" ADD CONSTRAINT "WebhookEvent_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxCommand" ADD CONSTRAINT "OutboxCommand_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProviderCall" ADD CONSTRAINT "ProviderCall_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "Integration"("id") ON DELETE SET NULL ON UPDATE CASCADE;
