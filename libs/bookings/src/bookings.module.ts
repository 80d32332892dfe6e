import { Module } from '@nestjs/common';

/** Public facility booking (公共施設予約): facilities, availability, holds, bookings, cancellations, lotteries. Issue 6. */
@Module({
  imports: [],
  controllers: [],
  providers: [],
  exports: [],
})
export class BookingsModule {}
