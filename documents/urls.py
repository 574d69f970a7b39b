from django.urls import path

from documents import config_views, views

app_name = "documents"

urlpatterns = [
    path("", views.index, name="index"),
    path("sok/", views.search, name="search"),
    path("ny/", views.create, name="create"),
    path("importer/", views.word_import, name="import"),
    path("i-kraft/", views.in_force, name="in_force"),
    path("i-kraft/samlet/", views.request_bundle, name="request_bundle"),
    path("i-kraft/samlet/<uuid:uid>/", views.bundle, name="bundle"),
    path("i-kraft/samlet/<uuid:uid>/fil/", views.bundle_download, name="bundle_download"),
    path("revisjon/", views.revisions, name="revisions"),
    path("leseliste/", views.read_list, name="read_list"),
    path("oppsett/", config_views.setup, name="setup"),
    path("oppsett/typer/ny/", config_views.type_form, name="type_create"),
    path("oppsett/typer/<int:pk>/", config_views.type_form, name="type_edit"),
    path("oppsett/maler/ny/", config_views.template_form, name="template_create"),
    path("oppsett/maler/<int:pk>/", config_views.template_form, name="template_edit"),
    path("oppsett/krav/ny/", config_views.requirement_form, name="requirement_create"),
    path("oppsett/krav/<int:pk>/", config_views.requirement_form, name="requirement_edit"),
    path("pakrevde/", config_views.coverage, name="coverage"),
    path("pakrevde/<int:requirement>/<int:unit>/", config_views.link, name="link"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/versjon/<int:number>/", views.version, name="version"),
    path("<int:pk>/versjon/<int:number>/pdf/", views.version_pdf, name="version_pdf"),
    path("<int:pk>/versjon/<int:number>/godkjenn/", views.approve, name="approve"),
    path("<int:pk>/versjon/<int:number>/returner/", views.return_version, name="return"),
    path("<int:pk>/historikk/", views.history, name="history"),
    path("<int:pk>/sammenlign/", views.compare, name="compare"),
    path("<int:pk>/rediger/", views.edit, name="edit"),
    path("<int:pk>/send/", views.submit, name="submit"),
    path("<int:pk>/revider/", views.start_revision, name="start_revision"),
    path("<int:pk>/arkiver/", views.archive, name="archive"),
    path("<int:pk>/lest/", views.confirm_read, name="confirm_read"),
    path("<int:pk>/lesestatus/", views.read_status, name="read_status"),
    path("<int:pk>/vedlegg/", views.upload_attachment, name="upload_attachment"),
    path("vedlegg/<int:pk>/", views.download_attachment, name="attachment"),
    path("vedlegg/<int:pk>/slett/", views.remove_attachment, name="remove_attachment"),
]
