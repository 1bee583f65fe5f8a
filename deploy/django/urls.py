# The recipe needs no URL: whitenoise answers /static/ before URL routing.
urlpatterns = []
