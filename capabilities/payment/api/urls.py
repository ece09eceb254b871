"""The payment capabilities, mounted at /api/v1/payment/ (the plugin's domain)."""

from django.urls import path

from capabilities.payment.api import views

urlpatterns = [
    path("trades/precreate", views.TradePrecreateView.as_view(),
         name="payment-trade-precreate"),
    path("trades/create", views.TradeCreateView.as_view(), name="payment-trade-create"),
    path("trades/pay", views.TradePayView.as_view(), name="payment-trade-pay"),
    path("trades/<str:out_trade_no>", views.TradeQueryView.as_view(),
         name="payment-trade-query"),
    path("trades/<str:out_trade_no>/close", views.TradeCloseView.as_view(),
         name="payment-trade-close"),
    path("trades/<str:out_trade_no>/refund", views.TradeRefundView.as_view(),
         name="payment-trade-refund"),
    path("trades/<str:out_trade_no>/refunds/<str:out_refund_no>",
         views.RefundQueryView.as_view(), name="payment-refund-query"),
    path("trades/<str:out_trade_no>/simulate", views.TradeSimulateView.as_view(),
         name="payment-trade-simulate"),
    path("bills/<str:day>", views.BillDownloadView.as_view(), name="payment-bill-download"),
]
