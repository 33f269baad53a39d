-- AlterTable
ALTER TABLE "OAuthState" ADD COLUMN     "bindingSealed" TEXT NOT NULL;
