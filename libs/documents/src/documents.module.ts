import { Module } from '@nestjs/common';

/** Issued documents (証明書・通知書・許可証): rendering with pdf-lib and an embedded Japanese font, serials, hashes, verification codes, revocation. Issue 6. */
@Module({
  imports: [],
  controllers: [],
  providers: [],
  exports: [],
})
export class DocumentsModule {}
