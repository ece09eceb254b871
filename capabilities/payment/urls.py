from django.urls import path

from capabilities.payment import views

urlpatterns = [
    path("t/<str:qr_token>/", views.cashier, name="payment-cashier"),
    path("t/<str:qr_token>/result/", views.cashier_result, name="payment-cashier-result"),
    path("s/<str:token>/", views.sticker, name="payment-sticker"),
]
